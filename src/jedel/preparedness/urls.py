"""Preparedness pages: readiness, HSI assessments, remediation tasks."""

from django.urls import path

from jedel.preparedness import views, views_pdf, views_photos, views_plans, views_training

app_name = "preparedness"
urlpatterns = [
    path("", views.readiness_page, name="readiness"),
    path("hsi/new/", views.create_action, name="create"),
    path("hsi/<int:assessment_id>/", views.assessment_page, name="assessment"),
    path("hsi/<int:assessment_id>/rate/", views.rate_action, name="rate"),
    path("hsi/<int:assessment_id>/remediation/", views.remediation_action, name="remediation"),
    path("hsi/<int:assessment_id>/compare/", views.compare_page, name="compare"),
    path("tasks/<int:task_id>/", views.task_action, name="task"),
    path("hsi/<int:assessment_id>/pdf/", views_pdf.assessment_pdf_view, name="assessment_pdf"),
    path("hsi/<int:assessment_id>/photos/", views_photos.photo_upload_action, name="photo_upload"),
    path("photos/<int:photo_id>/", views_photos.photo_view, name="photo"),
    path("plans/<int:facility_id>/pdf/", views_pdf.plan_pdf_view, name="plan_pdf"),
    path("regions/<str:iso_code>/", views_plans.region_page, name="region"),
    path("plans/", views_plans.plans_page, name="plans"),
    path("plans/<int:facility_id>/", views_plans.plan_page, name="plan"),
    path("plans/<int:facility_id>/save/", views_plans.plan_save_action, name="plan_save"),
    path("plans/<int:facility_id>/versions/<int:number>/", views_plans.plan_version_page, name="plan_version"),
    path("plans/<int:facility_id>/activation/", views_plans.activation_page, name="activation"),
    path("training/", views_training.training_page, name="training"),
    path("training/courses/", views_training.course_create_action, name="course_create"),
    path("training/sessions/", views_training.session_create_action, name="session_create"),
    path("training/sessions/<int:session_id>/", views_training.session_page, name="session"),
    path("training/sessions/<int:session_id>/certificates/", views_training.certificates_action, name="certificates"),
    path("training/coordinators/", views_training.coordinators_action, name="coordinators"),
    path("reserve/", views_training.reserve_page, name="reserve"),
    path("reserve/add/", views_training.reserve_add_action, name="reserve_add"),
    path("reserve/<int:member_id>/", views_training.reserve_update_action, name="reserve_update"),
]
