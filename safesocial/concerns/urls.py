from django.urls import path

from . import views

app_name = "concerns"
urlpatterns = [
    path("", views.concern_list, name="list"),
    path("report/", views.report, name="report"),
    path("report/guidance/", views.guidance, name="guidance"),
    path("report/people/", views.people_search, name="people"),
    path("patterns/", views.patterns, name="patterns"),
    path("retention/", views.retention_list, name="retention_list"),
    path("pupils/<int:pupil_id>/transfer/", views.transfer, name="transfer"),
    path("pupils/<int:pupil_id>/transfer/<int:pk>/sent/", views.transfer_sent, name="transfer_sent"),
    path("pupils/<int:pupil_id>/transfer/<int:pk>/package/", views.transfer_package, name="transfer_package"),
    path("<int:pk>/retention/keep/", views.retention_keep, name="retention_keep"),
    path("<int:pk>/retention/destroy/", views.destroy, name="destroy"),
    path("<int:pk>/retention/hold/", views.legal_hold, name="hold"),
    path("<int:pk>/", views.concern_detail, name="detail"),
    path("<int:pk>/note/", views.add_note, name="note"),
    path("<int:pk>/actions/", views.add_action, name="action"),
    path("<int:pk>/actions/<int:action_id>/done/", views.action_done, name="action_done"),
    path("<int:pk>/steps/", views.record_step, name="step"),
    path("<int:pk>/referrals/", views.record_referral, name="referral"),
    path("<int:pk>/referrals/<int:referral_id>/outcome/", views.referral_outcome, name="referral_outcome"),
    path("<int:pk>/triage/", views.triage_set, name="triage"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/links/", views.link_people, name="link"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/retention/", views.retention_review, name="retention"),
    path("<int:pk>/export/<str:fmt>/", views.export, name="export"),
    path("<int:pk>/evidence/", views.add_evidence, name="evidence"),
    path("<int:pk>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("<int:pk>/chronology/<int:entry_id>/correct/", views.correct_entry, name="correct"),
    path("<int:pk>/chronology/<int:entry_id>/change/", views.change_entry, name="change_entry"),
]
