from django.urls import path

from workspace import views

app_name = "workspace"
urlpatterns = [
    path("my/", views.home, name="home"),
    path("my/upload/", views.upload, name="upload"),
    path("my/upload/template.xlsx", views.upload_template, name="upload_template"),
    path("actions/<int:pk>/report/", views.report, name="report"),
    path("updates/<int:pk>/evidence/", views.evidence, name="evidence"),
]
