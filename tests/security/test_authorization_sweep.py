"""The authorisation sweep: every URL pattern of the project, every role, the exact answer.

`RULES` is a table. Each URL pattern (walked from `get_resolver()`: the i18n pages, the admin, the
API router, drf-spectacular, the language switch, /healthz) must match a rule — the first whose
`name` (a regex, full match on `namespace:name`) or `route` (a regex, full match on the pattern's
route, for the admin's unnamed patterns) fits. A new URL without a rule fails
`test_every_url_pattern_has_a_rule`, naming the pattern.

Each rule has cases: how to build a concrete URL from the sample world (tests/world.py, with the sweep's additions in
`tests/security/conftest.py`),
the method, and the expected answer for each of the six roles (`ROLES`): anonymous, partner, focal
point of El Salvador, focal point of Guatemala, staff outside the Secretariat group, secretariat.
Every 200 answer in text or JSON is also searched for the sample world's marked titles and reports
that the role may not see (`HIDDEN_FROM` in the conftest): a list, export or page must not leak them.

Expected answers are a status code, `LOGIN` (302 to the site's sign-in page with ?next=), `ADMIN_LOGIN`
(302 to the admin's sign-in page with ?next=) or `Redirect("/prefix")` (302 elsewhere). Web pages are
requested with a session, /api/ with `Authorization: Token …`. Every request that writes runs in a
savepoint that is rolled back, so the roles do not see each other's writes.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import docx
import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from regional.documents.report import DOCX_TYPE
from roadmaps.models import ActionStatus
from tests.security.conftest import (
    DRAFT_PRACTICE_SV,
    HIDDEN_FROM,
    INTERNAL_ROADMAP,
    PARTNERS_ROADMAP,
    RETURNED_GT,
    REVIEW_COMMENT_SV,
)
from tests.world import ROLES

LOGIN = "302 → sign-in"
ADMIN_LOGIN = "302 → admin sign-in"
SITE_LOGIN_PREFIX = "/en/accounts/login/?next="
LOGIN_ES = "302 → inicio de sesión"
ADMIN_LOGIN_PREFIX = "/admin/login/?next="


@dataclass(frozen=True)
class Redirect:
    prefix: str

    def __str__(self):
        return f"302 → {self.prefix}…"


def outcome(response):
    """What a caller got, in the table's terms."""
    if response.status_code != 302:
        return response.status_code
    location = response["Location"].removeprefix("http://testserver")
    if location.startswith(SITE_LOGIN_PREFIX):
        return LOGIN
    if location.startswith("/es/accounts/login/?next="):
        return LOGIN_ES
    if location.startswith(ADMIN_LOGIN_PREFIX):
        return ADMIN_LOGIN
    return Redirect(location)


def matches(expected, got) -> bool:
    if isinstance(expected, Redirect):
        return isinstance(got, Redirect) and got.prefix.startswith(expected.prefix)
    return expected == got


# --- expectations -------------------------------------------------------------------------------


def answers(default, **by_role):
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: by_role.get(role, default) for role in ROLES}


EVERYONE_200 = answers(200)
SIGNED_IN_200 = answers(200, anon=LOGIN)
# Pages for focal points only: the public is sent to sign in, other signed-in people are refused.
FOCAL_ONLY = answers(403, anon=LOGIN, focal_sv=200, focal_gt=200)
# What the visibility rules give for a roadmap (or its actions) of each visibility.
SEEN_BY_PARTNERS = answers(200, anon=404, staff=404)
SEEN_BY_SECRETARIAT = answers(404, secretariat=200)
SEEN_BY_SV = answers(404, focal_sv=200, secretariat=200)
SEEN_BY_GT = answers(404, focal_gt=200, secretariat=200)


def admin_answers(secretariat):
    """Every admin page: the secretariat gets `secretariat`; staff outside the group 403; everyone
    else is sent to the admin's sign-in page."""
    return answers(ADMIN_LOGIN, staff=403, secretariat=secretariat)


# --- the table ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    label: str
    url: Callable  # (world, pattern) -> str
    expect: dict
    method: str = "get"
    data: Callable | None = None  # (world) -> dict
    api: bool = False
    content_type: str | None = None


@dataclass(frozen=True)
class Rule:
    cases: tuple
    name: str | None = None  # regex, full match on "namespace:name"
    route: str | None = None  # regex, full match on the route (for unnamed patterns)
    why: str = ""

    def fits(self, pattern) -> bool:
        if self.name is not None:
            return pattern.name is not None and re.fullmatch(self.name, pattern.name) is not None
        return re.fullmatch(self.route, pattern.route) is not None


def named(**kwargs):
    """URL of the pattern's own name, with kwargs computed from the world."""

    def build(world, pattern):
        values = {key: (value(world) if callable(value) else value) for key, value in kwargs.items()}
        return reverse(pattern.name, kwargs=values)

    return build


def get(label, expect, url=None, api=False, **kwargs):
    return Case(label, url or named(**kwargs), expect, api=api)


def post(label, expect, data, url=None, api=False, content_type=None, **kwargs):
    return Case(label, url or named(**kwargs), expect, method="post", data=data, api=api, content_type=content_type)


def report_data(world):
    return {
        "status": ActionStatus.ON_TRACK,
        "percent_complete": 55,
        "narrative": "Two offices opened.",
        "version": world.action_sv.version,
    }


def api_update_data(world):
    return {"status": ActionStatus.ON_TRACK, "percent_complete": 55, "narrative": "Two offices opened."}


# Admin URLs: the model comes from the pattern's name (admin:<app>_<model>_<view>).
def admin_model(pattern):
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if pattern.name and pattern.name.startswith(prefix):
            return model
        if pattern.route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    raise AssertionError(f"no admin model for {pattern}")


def admin_sample(world, model):
    """The object an admin object page is asked about: a chosen one, else the first row."""
    chosen = {
        "roadmaps.progressupdate": world.u_submitted,
        "roadmaps.roadmap": world.public,
        "roadmaps.action": world.action_sv,
        "practices.goodpractice": world.practice_draft_sv,
        "countries.country": world.sv,
        "countries.focalpoint": world.focal_point,
        "auth.user": world.users["focal_sv"],
    }.get(model._meta.label_lower)
    row = chosen or model._default_manager.order_by("pk").first()
    assert row is not None, f"the sweep's world has no {model._meta.label}: add one in tests/security/conftest.py"
    return row


def admin_object_url(world, pattern):
    row = admin_sample(world, admin_model(pattern))
    return reverse(pattern.name, args=[row.pk])


def admin_args(world, pattern):
    """No argument for list/add pages, the sample object's id for object pages."""
    if pattern.name.endswith(("_changelist", "_add")):
        return []
    return [admin_sample(world, admin_model(pattern)).pk]


def admin_history_url(world, pattern):
    row = admin_sample(world, admin_model(pattern))
    record = row.history.order_by("history_id").first()
    return reverse(pattern.name, args=[row.pk, record.history_id])


def admin_bare_object_url(world, pattern):
    """`admin/<app>/<model>/<id>/`: the old-style address, redirected to the change page."""
    model = admin_model(pattern)
    row = admin_sample(world, model)
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{row.pk}/"


def admin_locked_update_url(suffix):
    return lambda world, pattern: reverse(f"admin:roadmaps_progressupdate_{suffix}", args=[world.u_approved.pk])


def view_on_site_url(world, pattern):
    content_type = ContentType.objects.get_for_model(world.public)
    return reverse(pattern.name, args=[content_type.pk, world.public.pk])


def fixed(path):
    return lambda world, pattern: path


# Admin models whose pages differ from the defaults (add/change/delete = 200 for the secretariat).
NO_ADD = r"roadmaps_progressupdate|notifications_sentmessage"
# Admin models the secretariat may not touch: Django's groups (superusers only) and the sign-in
# lock-out records (django-axes).
SUPERUSERS_ONLY = r"auth_group|axes_\w+"

RULES = (
    # ---- the public regional pages
    Rule(name=r"regional:(dashboard|roadmap_list|collaboration)", cases=(get("page", EVERYONE_200),)),
    Rule(
        name=r"regional:review",
        cases=(get("page", EVERYONE_200), get("Word document", EVERYONE_200, url=fixed("/en/review/?format=docx"))),
    ),
    Rule(name=r"regional:country_report", cases=(get("El Salvador's document", EVERYONE_200, code="SV"),)),
    Rule(name=r"regional:objective_detail", cases=(get("objective 2", EVERYONE_200, number=2),)),
    Rule(name=r"regional:country_detail", cases=(get("El Salvador", EVERYONE_200, code="SV"),)),
    Rule(
        name=r"regional:roadmap_detail",
        cases=(
            get("public roadmap", EVERYONE_200, slug="labour-public"),
            get("partners roadmap", SEEN_BY_PARTNERS, slug="health-partners"),
            get("internal roadmap", SEEN_BY_SECRETARIAT, slug="internal-hn"),
            get("draft roadmap led by El Salvador", SEEN_BY_SV, slug="draft-sv"),
            get("no such roadmap", answers(404), slug="no-such-roadmap"),
        ),
    ),
    Rule(
        name=r"regional:action_detail",
        cases=(
            get("action of El Salvador (public)", EVERYONE_200, pk=lambda w: w.action_sv.pk),
            get("action of a partners roadmap", SEEN_BY_PARTNERS, pk=lambda w: w.a_partners_sv.pk),
            get("action of an internal roadmap", SEEN_BY_SECRETARIAT, pk=lambda w: w.a_internal_hn.pk),
        ),
    ),
    Rule(
        name=r"regional:not_related",
        why="the secretariat hides a pair from the collaboration finder; POST only",
        cases=(
            get("GET", answers(405)),
            post(
                "mark a pair",
                answers(403, secretariat=Redirect("/en/collaboration/")),
                data=lambda w: {"first": w.a_public_gt.pk, "second": w.a_partners_sv.pk},
            ),
        ),
    ),
    # ---- reporting cycles: open and closed ones are public; planned ones the secretariat's
    Rule(
        name=r"regional:cycle_board",
        cases=(
            get("closed cycle", EVERYONE_200, key="sweep-closed"),
            get("planned cycle", answers(404, secretariat=200), key="sweep-planned"),
            get("no such cycle", answers(404), key="no-such-cycle"),
        ),
    ),
    Rule(
        name=r"regional:review_compare",
        cases=(
            get("closed → today", EVERYONE_200, url=fixed("/en/review/compare/?from=sweep-closed&to=live")),
            get("no cycle chosen", answers(400), url=lambda w, p: reverse(p.name)),
        ),
    ),
    # ---- the focal points' workspace
    Rule(name=r"workspace:home", cases=(get("page", SIGNED_IN_200),)),
    Rule(
        name=r"workspace:upload",
        cases=(
            get("form", FOCAL_ONLY),
            post("no file", answers(403, anon=LOGIN, focal_sv=400, focal_gt=400), data=lambda w: {}),
        ),
    ),
    Rule(name=r"workspace:upload_template", cases=(get("download", FOCAL_ONLY),)),
    Rule(
        name=r"workspace:report",
        cases=(
            get("action of El Salvador", answers(403, anon=LOGIN, focal_sv=200), pk=lambda w: w.action_sv.pk),
            get("action of Guatemala", answers(403, anon=LOGIN, focal_gt=200), pk=lambda w: w.a_public_gt.pk),
            # Hidden answers as missing does (the secretariat sees it, but reports on nothing).
            get(
                "action of an internal roadmap",
                answers(404, anon=LOGIN, secretariat=403),
                pk=lambda w: w.a_internal_hn.pk,
            ),
            get("no such action", answers(404, anon=LOGIN), pk=999999),
            post(
                "report on El Salvador's action",
                answers(403, anon=LOGIN, focal_sv=Redirect("/en/my/")),
                data=report_data,
                pk=lambda w: w.action_sv.pk,
            ),
        ),
    ),
    Rule(
        name=r"workspace:evidence",
        why="evidence files are private: served only with the update",
        cases=(
            get("approved update, public roadmap", EVERYONE_200, pk=lambda w: w.u_approved.pk),
            # Hidden answers as missing does: nothing tells an update exists.
            get(
                "submitted update of El Salvador",
                answers(404, anon=LOGIN, focal_sv=200, secretariat=200),
                pk=lambda w: w.u_submitted.pk,
            ),
            get(
                "returned update of Guatemala",
                answers(404, anon=LOGIN, focal_gt=200, secretariat=200),
                pk=lambda w: w.u_returned.pk,
            ),
            get("no such update", answers(404, anon=LOGIN), pk=999999),
        ),
    ),
    # ---- good practices
    Rule(name=r"practices:(catalogue|export_xlsx|export_csv)", cases=(get("page", EVERYONE_200),)),
    Rule(name=r"practices:mine", cases=(get("page", FOCAL_ONLY),)),
    Rule(
        name=r"practices:new",
        cases=(
            get("form", FOCAL_ONLY),
            post("empty form", answers(403, anon=LOGIN, focal_sv=400, focal_gt=400), data=lambda w: {}),
        ),
    ),
    Rule(
        name=r"practices:detail",
        cases=(
            get("published", EVERYONE_200, pk=lambda w: w.practice_published.pk),
            get("draft of El Salvador", SEEN_BY_SV, pk=lambda w: w.practice_draft_sv.pk),
        ),
    ),
    Rule(
        name=r"practices:edit",
        cases=(
            get(
                "draft of El Salvador",
                answers(404, anon=LOGIN, focal_sv=200, secretariat=200),
                pk=lambda w: w.practice_draft_sv.pk,
            ),
            get(
                "published (no longer editable: back to its page)",
                answers(Redirect("/en/practices/"), anon=LOGIN),
                pk=lambda w: w.practice_published.pk,
            ),
        ),
    ),
    Rule(
        name=r"practices:submit",
        cases=(
            get("GET", answers(405, anon=LOGIN), pk=lambda w: w.practice_draft_sv.pk),
            post(
                "submit El Salvador's draft",
                answers(404, anon=LOGIN, focal_sv=Redirect("/en/practices/"), secretariat=Redirect("/en/practices/")),
                data=lambda w: {},
                pk=lambda w: w.practice_draft_sv.pk,
            ),
        ),
    ),
    Rule(
        name=r"practices:attachment",
        why="files are private: served only when the practice is visible",
        cases=(
            get("file of a published practice", EVERYONE_200, pk=lambda w: w.attachment_published.pk),
            get("file of El Salvador's draft", SEEN_BY_SV, pk=lambda w: w.attachment_draft_sv.pk),
        ),
    ),
    # ---- accounts
    Rule(
        name=r"accounts:(login|password_reset|password_reset_done|password_reset_complete)",
        cases=(get("page", EVERYONE_200),),
    ),
    Rule(
        name=r"accounts:password_reset_confirm",
        cases=(get("a link that is not valid", EVERYONE_200, uidb64="MQ", token="not-a-token"),),
    ),
    Rule(
        name=r"accounts:logout",
        cases=(get("GET", answers(405)), post("sign out", answers(Redirect("/en/")), data=lambda w: {})),
    ),
    Rule(
        name=r"accounts:profile",
        cases=(
            get("page", SIGNED_IN_200),
            post("empty form", answers(400, anon=LOGIN), data=lambda w: {}),
        ),
    ),
    # ---- language switch, health
    Rule(
        name=r"set_language",
        cases=(post("to Spanish", answers(Redirect("/es/")), data=lambda w: {"language": "es", "next": "/en/"}),),
    ),
    Rule(name=r"healthz", cases=(get("check", EVERYONE_200),)),
    # ---- the API (tokens for signed-in callers)
    Rule(
        name=r"api:cycle-row-list",
        why="the frozen rows of a closed cycle, of the roadmaps the caller may see",
        cases=(
            get("closed cycle", EVERYONE_200, api=True, cycle_key="sweep-closed"),
            get("planned cycle (never closed)", answers(404), api=True, cycle_key="sweep-planned"),
        ),
    ),
    Rule(
        name=r"api:cycle-detail",
        cases=(
            get("closed", EVERYONE_200, api=True, key="sweep-closed"),
            get("planned", answers(404, secretariat=200), api=True, key="sweep-planned"),
        ),
    ),
    Rule(
        name=r"api:cycle-compare",
        cases=(
            get(
                "closed with today", EVERYONE_200, api=True, url=fixed("/api/v1/cycles/sweep-closed/compare/?with=live")
            ),
            get("with nothing", answers(400), api=True, key="sweep-closed"),
        ),
    ),
    Rule(name=r"api:(schema|docs|api-root|[-a-z]+-list)", cases=(get("page", EVERYONE_200, api=True),)),
    Rule(name=r"api:country-detail", cases=(get("SV", EVERYONE_200, api=True, code="SV"),)),
    Rule(name=r"api:objective-detail", cases=(get("2", EVERYONE_200, api=True, number=2),)),
    Rule(name=r"api:principle-detail", cases=(get("a", EVERYONE_200, api=True, code=lambda w: w.pa.code),)),
    Rule(name=r"api:organization-detail", cases=(get("iom", EVERYONE_200, api=True, key="iom"),)),
    Rule(name=r"api:forum-detail", cases=(get("forum", EVERYONE_200, api=True, key="ii-regional-forum"),)),
    Rule(name=r"api:theme-detail", cases=(get("theme", EVERYONE_200, api=True, slug="labour-migration"),)),
    Rule(
        name=r"api:roadmap-detail",
        cases=(
            get("public", EVERYONE_200, api=True, slug="labour-public"),
            get("partners", SEEN_BY_PARTNERS, api=True, slug="health-partners"),
            get("internal", SEEN_BY_SECRETARIAT, api=True, slug="internal-hn"),
            get("draft led by El Salvador", SEEN_BY_SV, api=True, slug="draft-sv"),
        ),
    ),
    Rule(
        name=r"api:action-detail",
        cases=(
            get("public", EVERYONE_200, api=True, id=lambda w: w.action_sv.pk),
            get("partners", SEEN_BY_PARTNERS, api=True, id=lambda w: w.a_partners_sv.pk),
            get("internal", SEEN_BY_SECRETARIAT, api=True, id=lambda w: w.a_internal_hn.pk),
        ),
    ),
    Rule(
        name=r"api:progress-update-detail",
        cases=(
            get("approved, public", EVERYONE_200, api=True, id=lambda w: w.u_approved.pk),
            get("submitted by El Salvador", SEEN_BY_SV, api=True, id=lambda w: w.u_submitted.pk),
            get("returned to Guatemala", SEEN_BY_GT, api=True, id=lambda w: w.u_returned.pk),
        ),
    ),
    Rule(
        name=r"api:indicator-detail",
        cases=(
            get("public", EVERYONE_200, api=True, id=lambda w: w.extra["indicator_sv"].pk),
            get("internal", SEEN_BY_SECRETARIAT, api=True, id=lambda w: w.extra["indicator_internal"].pk),
        ),
    ),
    Rule(
        name=r"api:indicator-value-detail",
        cases=(
            get("approved", EVERYONE_200, api=True, id=lambda w: w.extra["value_approved_sv"].pk),
            get("pending, El Salvador's", SEEN_BY_SV, api=True, id=lambda w: w.extra["value_pending_sv"].pk),
        ),
    ),
    Rule(
        name=r"api:practice-detail",
        cases=(
            get("published", EVERYONE_200, api=True, id=lambda w: w.practice_published.pk),
            get("draft of El Salvador", SEEN_BY_SV, api=True, id=lambda w: w.practice_draft_sv.pk),
        ),
    ),
    Rule(
        name=r"api:action-progress-updates",
        why="focal points report through the API with the same service as the web form",
        cases=(
            get("GET", answers(405), api=True, id=lambda w: w.action_sv.pk),
            post(
                "report on El Salvador's action",
                answers(403, anon=401, focal_sv=201),
                data=api_update_data,
                api=True,
                content_type="application/json",
                id=lambda w: w.action_sv.pk,
            ),
            post(
                "report on an internal action",
                answers(404, anon=401, secretariat=403),
                data=api_update_data,
                api=True,
                content_type="application/json",
                id=lambda w: w.a_internal_hn.pk,
            ),
        ),
    ),
    # ---- the admin: the secretariat's; staff outside the group 403; everyone else to its sign-in
    Rule(
        name=r"admin:login",
        cases=(get("page", answers(200, secretariat=Redirect("/admin/"))),),
    ),
    Rule(
        name=r"admin:logout",
        cases=(get("GET", answers(Redirect("/admin/"), secretariat=405)),),
    ),
    Rule(
        name=r"admin:(index|password_change|password_change_done|jsi18n)",
        cases=(get("page", admin_answers(200), url=lambda w, p: reverse(p.name)),),
    ),
    Rule(name=r"admin:app_list", cases=(get("roadmaps", admin_answers(200), app_label="roadmaps"),)),
    Rule(
        name=r"admin:autocomplete",
        why="searches actions for the practice form; without its query parameters it answers 403 to all",
        cases=(
            get("no parameters", admin_answers(403), url=lambda w, p: reverse(p.name)),
            get(
                "actions for a practice",
                admin_answers(200),
                url=lambda w, p: reverse(p.name) + "?app_label=practices&model_name=goodpractice&field_name=actions",
            ),
        ),
    ),
    Rule(
        name=r"admin:view_on_site",
        cases=(get("a public roadmap", admin_answers(Redirect("/en/roadmaps/labour-public/")), url=view_on_site_url),),
    ),
    Rule(
        name=r"admin:roadmaps_roadmap_import",
        cases=(get("form", admin_answers(200), url=lambda w, p: reverse(p.name)),),
    ),
    Rule(name=r"admin:roadmaps_roadmap_import_template", cases=(get("xlsx", admin_answers(200), fmt="xlsx"),)),
    Rule(name=r"admin:\w+_export", cases=(get("csv", admin_answers(200), fmt="csv"),)),
    Rule(
        name=rf"admin:({SUPERUSERS_ONLY})_(changelist|add|change|delete|history)",
        why="Django's groups stay with superusers; lock-out records are not the secretariat's",
        cases=(get("page", admin_answers(403), url=lambda w, p: reverse(p.name, args=admin_args(w, p))),),
    ),
    Rule(
        name=r"admin:(auth_user_delete|auth_user_password_change|countries_focalpoint_delete|"
        r"notifications_sentmessage_delete)",
        why="people are deactivated, not deleted; owners set their own passwords; the mail log is a record",
        cases=(get("sample object", admin_answers(403), url=admin_object_url),),
    ),
    Rule(
        name=r"admin:roadmaps_progressupdate_review",
        why="approve / return a submitted update: POST only",
        cases=(
            get("GET", admin_answers(405), url=admin_object_url),
            post(
                "approve",
                admin_answers(Redirect("/admin/roadmaps/progressupdate/")),
                data=lambda w: {"decision": "approve", "comment": ""},
                url=admin_object_url,
            ),
            post(
                "return",
                admin_answers(Redirect("/admin/roadmaps/progressupdate/")),
                data=lambda w: {"decision": "return", "comment": "Add figures."},
                url=admin_object_url,
            ),
        ),
    ),
    Rule(
        name=r"admin:roadmaps_progressupdate_queue",
        why="the review queue: pending updates, decided from the row",
        cases=(get("queue", admin_answers(200), url=lambda w, p: reverse(p.name)),),
    ),
    Rule(
        name=r"admin:roadmaps_progressupdate_on_behalf",
        why="the secretariat enters an update for a responsible country (marked on its behalf)",
        cases=(
            get(
                "form",
                admin_answers(200),
                url=lambda w, p: f"{reverse(p.name)}?action={w.u_submitted.action_id}",
            ),
            get("no action given", admin_answers(404), url=lambda w, p: reverse(p.name)),
            post(
                "enter an update",
                admin_answers(Redirect("/admin/roadmaps/progressupdate/queue/")),
                data=lambda w: {
                    "country": w.u_submitted.country_id,
                    "reporting_date": "2026-11-20",
                    "status": ActionStatus.ON_TRACK,
                    "percent_complete": "35",
                    "narrative": "Reported by letter.",
                    "source": "Letter",
                },
                url=lambda w, p: f"{reverse(p.name)}?action={w.u_submitted.action_id}",
            ),
        ),
    ),
    Rule(
        name=r"admin:roadmaps_reportingcycle_decide",
        why="open / close / reopen a cycle: POST only",
        cases=(
            get("GET", admin_answers(405), url=admin_object_url),
            post(
                "open the planned cycle",
                admin_answers(Redirect("/admin/roadmaps/reportingcycle/")),
                data=lambda w: {"decision": "open"},
                url=admin_object_url,
            ),
        ),
    ),
    Rule(
        name=r"admin:practices_goodpractice_review",
        why="publish / return a practice",
        cases=(
            get("page", admin_answers(200), url=admin_object_url),
            post(
                "return with a comment",
                admin_answers(Redirect("/admin/practices/goodpractice/")),
                data=lambda w: {"review_comment": "Add figures."},
                url=admin_object_url,
            ),
        ),
    ),
    Rule(
        name=r"admin:roadmaps_progressupdate_changelist",
        why="bulk review from the list: approve the selected updates",
        cases=(
            get("list", admin_answers(200), url=lambda w, p: reverse(p.name)),
            post(
                "approve selected",
                admin_answers(Redirect("/admin/roadmaps/progressupdate/")),
                data=lambda w: {"action": "approve_selected", "_selected_action": [w.u_submitted.pk]},
                url=lambda w, p: reverse(p.name),
            ),
        ),
    ),
    Rule(
        name=r"admin:practices_goodpractice_changelist",
        why="bulk review from the list: publish the selected practices",
        cases=(
            get("list", admin_answers(200), url=lambda w, p: reverse(p.name)),
            post(
                "publish selected",
                admin_answers(Redirect("/admin/practices/goodpractice/")),
                data=lambda w: {"action": "publish_selected", "_selected_action": [w.practice_published.pk]},
                url=lambda w, p: reverse(p.name),
            ),
        ),
    ),
    Rule(
        name=r"admin:\w+_changelist",
        cases=(get("list", admin_answers(200), url=lambda w, p: reverse(p.name)),),
    ),
    Rule(
        name=rf"admin:({NO_ADD})_add",
        why="rows written elsewhere (services, sign-in records, the mailer): no add form",
        cases=(get("form", admin_answers(403), url=lambda w, p: reverse(p.name)),),
    ),
    Rule(name=r"admin:\w+_add", cases=(get("form", admin_answers(200), url=lambda w, p: reverse(p.name)),)),
    Rule(
        name=r"admin:\w+_simple_history",
        cases=(get("first historical record", admin_answers(200), url=admin_history_url),),
    ),
    Rule(
        name=r"admin:roadmaps_progressupdate_change",
        why="every update is shown read-only: the reviewer approves or returns a report, never edits it",
        cases=(
            get("submitted update", admin_answers(200), url=admin_object_url),
            get("approved update", admin_answers(200), url=admin_locked_update_url("change")),
        ),
    ),
    Rule(
        name=r"admin:roadmaps_progressupdate_delete",
        why="a submitted update can be deleted; an approved one never",
        cases=(
            get("submitted update", admin_answers(200), url=admin_object_url),
            get("approved update", admin_answers(403), url=admin_locked_update_url("delete")),
        ),
    ),
    Rule(
        name=r"admin:\w+_(change|delete|history)",
        cases=(get("sample object", admin_answers(200), url=admin_object_url),),
    ),
    Rule(
        route=r"admin/\w+/\w+/<path:object_id>/",
        why="old-style object address: redirected to the change page",
        cases=(get("sample object", admin_answers(Redirect("/admin/")), url=admin_bare_object_url),),
    ),
    Rule(
        route=r"admin/\(\?P<url>\.\*\)\$",
        why="the admin's final catch-all: 404 once signed in",
        cases=(get("unknown admin page", admin_answers(404), url=fixed("/admin/no-such-page/")),),
    ),
)


# Answers that are bugs, reported rather than encoded: (URL name, case label, role) → what is wrong.
# While the bug is there the pattern's test is an expected failure; once fixed, the test fails until
# the entry is removed.
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}


# --- walking the URL patterns ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str | None
    key: str = field(compare=False)


SKIPPED_ROUTES = re.compile(r"^(static|media)/")


def walk(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, route, inner)
        elif isinstance(entry, URLPattern) and not SKIPPED_ROUTES.match(route):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Pattern(route=route, name=name, key=f"{name or '<unnamed>'} {route}")


def rule_for(pattern):
    return next((rule for rule in RULES if rule.fits(pattern)), None)


PATTERNS = sorted(set(walk()), key=lambda p: p.key)


def test_every_url_pattern_has_a_rule():
    missing = [p for p in PATTERNS if rule_for(p) is None]
    assert not missing, (
        "These URL patterns have no rule in the authorisation sweep:\n"
        + "\n".join(f"  {p.key}" for p in missing)
        + "\nAdd a Rule(name=r'<namespace:name regex>', cases=(get(...), post(...))) to RULES in "
        "tests/security/test_authorization_sweep.py, saying what each role must get."
    )


def test_every_rule_is_used():
    """A rule matching nothing is a typo or a removed URL: keep the table honest."""
    used = {id(rule_for(p)) for p in PATTERNS}
    unused = [rule.name or rule.route for rule in RULES if id(rule) not in used]
    assert not unused, f"rules that match no URL pattern: {unused}"


def test_the_walk_sees_every_part_of_the_project():
    names = {p.name for p in PATTERNS}
    assert {
        "admin:index",
        "api:schema",
        "api:docs",
        "api:api-root",
        "api:action-progress-updates",
        "set_language",
        "healthz",
        "regional:dashboard",
        "workspace:report",
        "practices:submit",
        "accounts:login",
    } <= names
    assert any(p.route.startswith("en/") for p in PATTERNS), "the i18n (language-prefixed) pages are walked"


def _request(world, case, role, url):
    client = world.api(role) if case.api else world.web(role)
    if case.method == "get":
        return client.get(url)
    data = case.data(world)
    if case.content_type:
        return client.post(url, data, content_type=case.content_type)
    return client.post(url, data)


def _text(response) -> str:
    """The body of a text or JSON answer, or a Word document's text (other files are not searched)."""
    if response.get("Content-Type", "") == DOCX_TYPE:
        document = docx.Document(io.BytesIO(response.content))
        parts = [p.text for p in document.paragraphs]
        parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join(parts)
    if not response.get("Content-Type", "").startswith(("text/", "application/json")):
        return ""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", "replace")


@pytest.fixture
def english(db):
    cache.clear()  # the API throttles per caller: start from zero
    with translation.override("en"):
        yield


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.key for p in PATTERNS])
def test_each_role_gets_the_answer_it_should(world, english, pattern):
    rule = rule_for(pattern)
    assert rule is not None, f"no rule for {pattern.key}: see test_every_url_pattern_has_a_rule"
    wrong, known = [], []
    for case in rule.cases:
        with translation.override("en"):  # a request in Spanish leaves Spanish active
            url = case.url(world, pattern)
        for role in ROLES:
            expected = case.expect[role]
            # Each request in a savepoint rolled back: a write by one role is not seen by the next.
            with transaction.atomic():
                response = _request(world, case, role, url)
                got = outcome(response)
                shown = [secret for secret in HIDDEN_FROM[role] if got == 200 and secret in _text(response)]
                transaction.set_rollback(True)
            if shown:
                wrong.append(f"{case.method.upper()} {url} [{case.label}] as {role}: shows {shown}")
            if matches(expected, got):
                continue
            line = f"{case.method.upper()} {url} [{case.label}] as {role}: expected {expected}, got {got}"
            bug = KNOWN_BUGS.get((pattern.name, case.label, role))
            (known if bug else wrong).append(f"{line} — known bug: {bug}" if bug else line)
    assert not wrong, "\n".join(wrong)
    still_listed = [key for key in KNOWN_BUGS if key[0] == pattern.name]
    if still_listed and len(known) < len(still_listed):
        pytest.fail(f"fixed? remove from KNOWN_BUGS: {still_listed} (bugs still seen: {known})")
    if known:
        pytest.xfail("\n".join(known))


I18N_PATTERNS = [p for p in PATTERNS if p.route.startswith("en/")]


@pytest.mark.parametrize("pattern", I18N_PATTERNS, ids=[p.key for p in I18N_PATTERNS])
def test_spanish_pages_answer_like_the_english_ones(world, english, pattern):
    """The table is written for /en/; each /es/ page must give every role the same answer."""
    different = []
    for case in (c for c in rule_for(pattern).cases if c.method == "get"):
        with translation.override("en"):  # a Spanish request leaves Spanish active
            english_url = case.url(world, pattern)
        spanish_url = "/es/" + english_url.removeprefix("/en/")
        for role in ROLES:
            client = world.web(role)
            answers_in = [outcome(client.get(url)) for url in (english_url, spanish_url)]
            english_answer, spanish_answer = (
                Redirect(a.prefix.replace("/es/", "/en/", 1)) if isinstance(a, Redirect) else a for a in answers_in
            )
            if spanish_answer == LOGIN_ES:
                spanish_answer = LOGIN
            if english_answer != spanish_answer:
                different.append(f"{spanish_url} as {role}: {spanish_answer} (English: {english_answer})")
    assert not different, "\n".join(different)


@pytest.mark.parametrize(
    ("role", "url", "secret"),
    [
        ("secretariat", "/en/roadmaps/", INTERNAL_ROADMAP),
        ("partner", "/api/v1/roadmaps/", PARTNERS_ROADMAP),
        ("focal_sv", "/en/practices/mine/", DRAFT_PRACTICE_SV),
        ("focal_gt", "/api/v1/progress-updates/?format=csv", RETURNED_GT),
        ("focal_sv", "/api/v1/progress-updates/?format=csv", REVIEW_COMMENT_SV),
        ("secretariat", "/api/v1/progress-updates/", REVIEW_COMMENT_SV),
    ],
)
def test_the_leak_check_sees_what_a_role_may_see(world, english, role, url, secret):
    """Control for the leak check: the marked titles do show to those who may see them."""
    client = world.api(role) if url.startswith("/api/") else world.web(role)
    response = client.get(url)
    assert response.status_code == 200
    assert secret in _text(response)


@pytest.mark.parametrize("url", ["/en/review/?format=docx", "/en/countries/SV/report.docx"])
def test_the_leak_check_reads_word_documents(world, english, url):
    """Control: the leak check searches a Word document's text (here, a public action's code)."""
    response = world.web("anon").get(url)
    assert response.status_code == 200
    assert "SV-1 · " in _text(response)
