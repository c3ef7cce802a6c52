from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("trust/", views.trust_detail, name="trust"),
    path("schools/<slug:key>/", views.school_detail, name="school"),
    path("schools/<slug:key>/pupils/", views.pupil_list, name="pupils"),
    path("pupils/<int:pk>/", views.pupil_detail, name="pupil"),
    path("people/", views.staff_list, name="staff"),
    path("people/add/", views.staff_add, name="staff_add"),
    path("people/<int:pk>/", views.staff_detail, name="member"),
    path("people/<int:pk>/roles/", views.role_add, name="role_add"),
    path("people/<int:pk>/roles/<int:assignment_id>/remove/", views.role_remove, name="role_remove"),
]
