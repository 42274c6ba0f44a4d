from django.shortcuts import render

from countries.models import Country
from gcm.models import Objective


def dashboard(request):
    """The regional dashboard (grows in the regional-picture issue): objectives and countries."""
    context = {
        "objectives": Objective.objects.order_by("number"),
        "countries": Country.objects.rcm().order_by("rcm_status", "name_en"),
    }
    return render(request, "regional/dashboard.html", context)
