from django.urls import path

from regional import views

app_name = "regional"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
