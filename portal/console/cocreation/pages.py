"""Console: the landlord's own pages (contact, complaints policy, accessibility statement, privacy notice), one form
per page and language, for admins. Saved through the API (``landlordPageSet``); a page not written shows its
built-in default to the public.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from backend.cocreation.models import PageKind
from backend.cocreation.pages import MAX_BODY, MAX_TITLE, default_page
from backend.config import LANGUAGE_NAMES, current
from portal import operations
from portal.access import roles_required
from portal.cocreation.publication import PAGE_LABELS
from portal.console.blueprint import bp
from portal.console.complaints.forms import Visible, limit
from portal.forms import show_problem

MARKUP_HINT = _l(
    "Up to 50,000 characters. Leave a blank line between paragraphs. Start a line with ## for a heading, or with - "
    "for a list item. Write a link as [words](https://...): only web and email links are kept."
)


class PageForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[Visible(_l("Give it a title.")), limit(MAX_TITLE)], render_kw={"maxlength": MAX_TITLE}
    )
    body = TextAreaField(
        _l("Text"),
        description=MARKUP_HINT,
        validators=[Visible(_l("Write the page's text.")), limit(MAX_BODY)],
        render_kw={"rows": 16},
    )


@bp.route("/co-creation/pages")
@roles_required("admin")
def cocreation_pages() -> Any:
    """Each page in each language: written, or showing the built-in default."""
    written = {
        (row["kind"], row["locale"]): row for row in operations.run("ConsoleLandlordPages")["landlordPages"]["nodes"]
    }
    return render_template(
        "console/cocreation/pages.html",
        kinds=PAGE_LABELS,
        locales=[(code, LANGUAGE_NAMES.get(code, code)) for code in current().enabled_locales],
        written=written,
    )


@bp.route("/co-creation/pages/<kind>/<locale>", methods=["GET", "POST"])
@roles_required("admin")
def cocreation_page(kind: str, locale: str) -> Any:
    """One page in one language: its title and text."""
    if kind not in PageKind.codes() or locale not in current().enabled_locales:
        abort(404)
    written = {
        (row["kind"], row["locale"]): row for row in operations.run("ConsoleLandlordPages")["landlordPages"]["nodes"]
    }
    row = written.get((kind, locale))
    shown = default_page(kind)
    data = {"title": row["title"], "body": row["body"]} if row else {"title": shown.title, "body": shown.body}
    form = PageForm(data=data)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            variables = {"kind": kind, "locale": locale, "title": form.title.data, "body": form.body.data}
            result = operations.run_mutation("ConsoleLandlordPageSet", {"input": variables})
            if result.problem is None:
                flash(_("The page is saved."), "success")
                return redirect(url_for("console.cocreation_pages"))
            show_problem(form, result.problem)
            status = result.status
        else:
            status = 400
    return render_template(
        "console/cocreation/page_form.html",
        form=form,
        kind_label=PAGE_LABELS[kind],
        language=LANGUAGE_NAMES.get(locale, locale),
        locale=locale,
        built_in=row is None,
        public_url=url_for("cocreation.landlord_page", kind=kind),
    ), status
