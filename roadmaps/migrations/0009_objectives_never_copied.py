"""An action's GCM objectives are never copied from its roadmap (README "Where each rule lives"): the
admin and the import used to copy the roadmap's onto an action saved without any. Those copies —
an action whose objectives are exactly its roadmap's — are removed, so the action follows its
roadmap from now on; what every page and the API show is unchanged today."""

from django.db import migrations


def drop_copies(apps, schema_editor):
    Action = apps.get_model("roadmaps", "Action")
    links = Action.objectives.through
    roadmap_objectives = {}
    for roadmap_id, objective_id in apps.get_model("roadmaps", "Roadmap").objectives.through.objects.values_list(
        "roadmap_id", "objective_id"
    ):
        roadmap_objectives.setdefault(roadmap_id, set()).add(objective_id)
    own = {}
    for action_id, objective_id in links.objects.values_list("action_id", "objective_id"):
        own.setdefault(action_id, set()).add(objective_id)
    roadmap_of = dict(Action.objects.filter(id__in=list(own)).values_list("id", "roadmap_id"))
    copies = [a for a, objectives in own.items() if objectives == roadmap_objectives.get(roadmap_of[a])]
    links.objects.filter(action_id__in=copies).delete()


class Migration(migrations.Migration):
    dependencies = [("roadmaps", "0008_indicators_from_action_targets")]
    operations = [migrations.RunPython(drop_copies, migrations.RunPython.noop)]
