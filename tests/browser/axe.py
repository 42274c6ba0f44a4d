"""axe-core in the browser tests: the npm package's axe.min.js, committed under vendor/ (no network).

The site's Content-Security-Policy forbids inline scripts, so axe is injected as an init script
(run by the browser before the page's own scripts, outside the page's CSP).
"""

from pathlib import Path

AXE_PATH = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SEVERE = ("serious", "critical")

_RUN = """async () => {
  const result = await window.axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").slice(0, 200)),
  }));
}"""


def install_axe(page):
    """Call once per page, before the first `goto`: every document it loads then carries axe."""
    page.add_init_script(path=str(AXE_PATH))


def serious_violations(page) -> list[dict]:
    """The serious and critical axe-core violations of the page now shown."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        raise RuntimeError("axe-core is not loaded: call install_axe(page) before page.goto()")
    return [v for v in page.evaluate(_RUN) if v["impact"] in SEVERE]


def describe(violations) -> str:
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations)
