from django.urls import path

from regional import collaboration_views, cycle_views, review_views, views

app_name = "regional"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("roadmaps/", views.roadmap_list, name="roadmap_list"),
    path("roadmaps/<slug:slug>/", views.roadmap_detail, name="roadmap_detail"),
    path("objectives/<int:number>/", views.objective_detail, name="objective_detail"),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("countries/<str:code>/report.docx", review_views.country_report, name="country_report"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("review/", review_views.review, name="review"),
    path("review/cycles/<slug:key>/", cycle_views.cycle_board, name="cycle_board"),
    path("review/compare/", cycle_views.review_compare, name="review_compare"),
    path("collaboration/", collaboration_views.collaboration, name="collaboration"),
    path("collaboration/not-related/", collaboration_views.mark_not_related, name="not_related"),
]
