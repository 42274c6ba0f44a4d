from django.urls import path

from practices import views

app_name = "practices"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.edit, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
]
