from django.urls import path

from . import views

app_name = "publishing"
urlpatterns = [
    path("", views.post_list, name="list"),
    path("new/", views.post_create, name="create"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("<int:pk>/", views.post_detail, name="detail"),
    path("<int:pk>/edit/", views.post_edit, name="edit"),
    path("<int:pk>/submit/", views.post_submit, name="submit"),
    path("<int:pk>/approve/", views.post_approve, name="approve"),
    path("<int:pk>/return/", views.post_reject, name="reject"),
    path("<int:pk>/withdraw/", views.post_withdraw, name="withdraw"),
    path("<int:pk>/retry/", views.post_retry, name="retry"),
    path("<int:pk>/take-down/", views.post_take_down, name="take_down"),
    path("<int:pk>/take-down/<int:take_down_id>/gone/", views.take_down_confirm, name="take_down_confirm"),
    path("<int:pk>/withdrawals/<int:decision_id>/", views.withdrawal_decide, name="withdrawal_decide"),
    path("<int:pk>/images/<int:image_id>/", views.image, name="image"),
    path("<int:pk>/faces/<int:face_id>.jpg", views.face_crop, name="face_crop"),
    path("<int:pk>/faces/<int:face_id>/tag/", views.tag_face, name="tag_face"),
    path("<int:pk>/faces/<int:face_id>/pupils/", views.pupil_search, name="pupil_search"),
    path("<int:pk>/blur/", views.blur_faces, name="blur_faces"),
    path("<int:pk>/by-hand/<int:delivery_id>/", views.record_by_hand, name="record_by_hand"),
    path("suggestions/", views.suggestion_list, name="suggestions"),
    path("suggestions/new/", views.suggest, name="suggest"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion"),
    path("suggestions/<int:pk>/agree/", views.suggestion_agree, name="suggestion_agree"),
    path("suggestions/<int:pk>/draft/", views.suggestion_draft, name="suggestion_draft"),
    path("suggestions/<int:pk>/decline/", views.suggestion_decline, name="suggestion_decline"),
    path("suggestions/<int:pk>/images/<int:image_id>/", views.suggestion_image, name="suggestion_image"),
]
