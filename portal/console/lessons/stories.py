"""Console pages for success stories: drafted by staff, submitted, approved or returned by another manager."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from backend.errors import NotAllowed, NotFound
from backend.lessons import stories
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import limit
from portal.console.lessons.sections import section
from portal.console.lessons.sharing import MANAGERS, action_options, choices, form_page, lesson_options, submit
from portal.forms import show_problem
from portal.security import current_actor

STATUSES = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for approval"),
    "approved": _l("Approved"),
    "returned": _l("Returned to its author"),
}
IMAGE_TYPES = "image/jpeg,image/png,image/gif,image/webp"

section(48, "console.lessons_stories", _l("Success stories"))


class StoryForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give a title.")), limit(200)])
    story = TextAreaField(
        _l("The story"), validators=[DataRequired(_l("Tell the story.")), limit(10_000)], render_kw={"rows": 8}
    )
    before_figure = StringField(
        _l("The figure before (optional)"),
        description=_l("For example, 3 in 10 appointments missed."),
        validators=[Optional(), limit(200)],
    )
    after_figure = StringField(
        _l("The figure after (optional)"),
        description=_l("For example, 1 in 20 appointments missed."),
        validators=[Optional(), limit(200)],
    )
    lessons = SelectMultipleField(_l("Lessons behind it (optional)"), validators=[Optional()], validate_choice=False)
    actions = SelectMultipleField(_l("Actions behind it (optional)"), validators=[Optional()], validate_choice=False)


class MediaForm(FlaskForm):
    image = FileField(_l("An image (optional)"), description=_l("A JPEG, PNG, GIF or WebP picture."))
    url = StringField(
        _l("Or a link to a video or image (optional)"),
        description=_l("It must start with https://."),
        validators=[Optional(), limit(2000)],
    )
    alt_text = StringField(
        _l("What it shows"),
        description=_l("For people who cannot see it, in a sentence."),
        validators=[DataRequired(_l("Say what it shows, for people who cannot see it.")), limit(300)],
    )


class ReturnForm(FlaskForm):
    reason = TextAreaField(
        _l("Why it is returned"),
        validators=[DataRequired(_l("Give the reason.")), limit(10_000)],
        render_kw={"rows": 4},
    )


def _story(story_id: int) -> dict[str, Any]:
    story = operations.run("ConsoleStory", {"id": str(story_id)})["successStory"]
    if story is None:
        abort(404)
    return story


def _story_form(form: StoryForm) -> None:
    found = choices()
    form.lessons.choices = lesson_options(found["lessons"], blank=False)
    form.actions.choices = action_options(found["actions"], blank=False)


def _story_values(form: StoryForm) -> dict[str, Any]:
    return {
        "title": form.title.data,
        "story": form.story.data,
        "beforeFigure": form.before_figure.data or "",
        "afterFigure": form.after_figure.data or "",
        "lessonIds": form.lessons.data or [],
        "actionIds": form.actions.data or [],
    }


@bp.route("/lessons/stories")
@roles_required(*STAFF)
def lessons_stories() -> Any:
    """Success stories, most recently changed first."""
    found = operations.run("ConsoleStories")["successStories"]["nodes"]
    return render_template("console/lessons/stories.html", stories=found, statuses=STATUSES)


@bp.route("/lessons/stories/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def lessons_story_new() -> Any:
    """Draft a success story."""
    form = StoryForm()
    _story_form(form)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            result = operations.run_mutation("ConsoleSuccessStoryDraft", {"input": _story_values(form)})
            if result.problem is None:
                flash(_("The story is saved as a draft."), "success")
                return redirect(url_for("console.lessons_story", story_id=result.data["successStory"]["id"]))
            show_problem(form, result.problem, {"lessonIds": "lessons", "actionIds": "actions"})
            status = result.status
        else:
            status = 400
    back = (url_for("console.lessons_stories"), _("Back to the success stories"))
    return form_page(form, _("Draft a success story"), _("Save the draft"), back), status


@bp.route("/lessons/stories/<int:story_id>")
@roles_required(*STAFF)
def lessons_story(story_id: int) -> Any:
    """A success story, with what its author or a manager may do next."""
    story = _story(story_id)
    actor = current_actor()
    own = story["draftedBy"] is not None and story["draftedBy"]["id"] == str(actor.user_id)
    return render_template(
        "console/lessons/story.html",
        story=story,
        statuses=STATUSES,
        editable=own and story["status"] in ("draft", "returned"),
        may_decide=not own and actor.has_role(*MANAGERS) and story["status"] == "submitted",
    )


@bp.route("/lessons/stories/<int:story_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def lessons_story_edit(story_id: int) -> Any:
    """Change a draft or returned story of yours."""
    story = _story(story_id)
    form = StoryForm()
    _story_form(form)
    status = 200
    if request.method == "GET":
        form.title.data, form.story.data = story["title"], story["story"]
        form.before_figure.data, form.after_figure.data = story["beforeFigure"], story["afterFigure"]
        form.lessons.data = [x["lessonId"] for x in story["links"] if x["lessonId"]]
        form.actions.data = [x["actionId"] for x in story["links"] if x["actionId"]]
    elif form.validate_on_submit():
        variables = {"id": str(story_id), **_story_values(form)}
        fields = {"lessonIds": "lessons", "actionIds": "actions"}
        status = submit(form, "ConsoleSuccessStoryUpdate", variables, _("The story is saved."), fields)
        if status is None:
            return redirect(url_for("console.lessons_story", story_id=story_id))
    else:
        status = 400
    back = (url_for("console.lessons_story", story_id=story_id), _("Back to the story"))
    return form_page(form, _("Change the story"), _("Save"), back), status


@bp.route("/lessons/stories/<int:story_id>/media/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def lessons_story_media(story_id: int) -> Any:
    """Add an image or a video link to your story, with its text alternative."""
    story = _story(story_id)
    form = MediaForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            upload = request.files.get("image")
            variables = {
                "storyId": str(story_id),
                "altText": form.alt_text.data,
                "url": form.url.data or "",
                "file": upload if upload is not None and upload.filename else None,
            }
            fields = {"attachments": "image", "file": "image"}
            status = submit(form, "ConsoleStoryMediaAdd", variables, _("The image or link is added."), fields)
            if status is None:
                return redirect(url_for("console.lessons_story", story_id=story_id))
        else:
            status = 400
    return render_template("console/lessons/story_media.html", form=form, story=story, accept=IMAGE_TYPES), status


def _decide(story_id: int, operation: str, done: str) -> Any:
    result = operations.run_mutation(operation, {"input": {"id": str(story_id)}})
    if result.problem is None:
        flash(done, "success")
    else:
        flash(result.problem.get("message") or _("That could not be done."), "error")
    return redirect(url_for("console.lessons_story", story_id=story_id))


@bp.route("/lessons/stories/<int:story_id>/submit", methods=["POST"])
@roles_required(*STAFF)
def lessons_story_submit(story_id: int) -> Any:
    """Send your story to managers for approval."""
    return _decide(story_id, "ConsoleSuccessStorySubmit", _("The story is sent for approval."))


@bp.route("/lessons/stories/<int:story_id>/approve", methods=["POST"])
@roles_required(*MANAGERS)
def lessons_story_approve(story_id: int) -> Any:
    """Approve a submitted story."""
    return _decide(story_id, "ConsoleSuccessStoryApprove", _("The story is approved."))


@bp.route("/lessons/stories/<int:story_id>/return", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def lessons_story_return(story_id: int) -> Any:
    """Return a submitted story to its author with the reason."""
    story = _story(story_id)
    form = ReturnForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            variables = {"id": str(story_id), "reason": form.reason.data}
            status = submit(form, "ConsoleSuccessStoryReturn", variables, _("The story is returned to its author."))
            if status is None:
                return redirect(url_for("console.lessons_story", story_id=story_id))
        else:
            status = 400
    back = (url_for("console.lessons_story", story_id=story_id), _("Back to the story"))
    return form_page(form, _("Return the story"), _("Return the story"), back, (story["title"],)), status


@bp.route("/lessons/stories/media/<int:media_id>")
@roles_required(*STAFF)
def lessons_story_image(media_id: int) -> Any:
    """An uploaded image of a story, for staff, never sniffed or run by the browser."""
    try:
        media, stream = stories.open_media(current_actor(), media_id)
    except (NotFound, NotAllowed):
        abort(404)
    with stream:
        body = stream.read()
    response = Response(body, mimetype=media.media_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
