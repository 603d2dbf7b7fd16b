"""Threads and posts: starting a thread, replying, watching, editing with revisions, reporting and hiding."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from core.forms import ConfirmForm, attempt, signed_in_form
from core.guards import require
from core.page_cache import public_page
from core.request_args import id_arg, id_number, page_number
from core.transactions import call_service
from forum import policy, queries, services
from forum.forms import EditPostForm, ReasonForm, ReplyForm, ThreadForm, WatchForm
from forum.models import WATCH_LEVELS
from forum.views.common import confirmed, current_actor, uploaded


@login_required
def new_thread(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    if not forum.is_open:
        flash(f"This forum is {forum.status_label.lower()}: it no longer takes new posts.", "error")
        return redirect(url_for("forum.forum", slug=forum.slug))
    require(policy.can_post(current_user, forum, queries.is_member(current_user, forum)), "forum.thread_start")
    form = ThreadForm()
    if form.validate_on_submit():
        done = attempt(form, services.start_thread, forum, current_actor(), form.title.data, form.body.data,
                       confirmed(form), uploaded(form.attachment))
        if done.ok:
            thread = done.value
            flash("Your thread is published.", "success")
            return redirect(url_for("forum.thread", slug=forum.slug, thread_id=thread.id))
    return render_template("forum/thread_form.html", forum=forum, form=form)


def _render_thread(forum: Any, thread: Any, reply_form: ReplyForm | None, status: int = 200) -> ResponseReturnValue:
    member = queries.is_member(current_user, forum)
    posts = queries.thread_posts(thread, page_number())
    flags = {
        "can_post": policy.can_post(current_user, forum, member),
        "can_report": policy.can_report(current_user, forum, member),
        "can_moderate": policy.can_moderate(current_user, forum),
        "can_manage": policy.can_manage_forum(current_user, forum),
        "can_watch": policy.can_participate(current_user, forum, member),
        "can_join": policy.can_join(current_user, forum, member),
        "user_id": current_user.id if current_user.is_authenticated else None,
        "forum_open": forum.is_open,
    }
    watch_form = signed_in_form(WatchForm, level=queries.watch_level(current_user, thread=thread) or "all")
    if watch_form is not None:
        watch_form.level.choices = [(k, v) for k, v in WATCH_LEVELS.items() if k != "new_threads"]
    editable = {p.id for p in posts.items if policy.can_edit_post(current_user, p)}
    reportable = {p.id for p in posts.items if flags["can_report"] and p.author_id != flags["user_id"]}
    need = queries.need_for_thread(thread)
    return render_template("forum/thread.html", forum=forum, thread=thread, posts=posts, form=reply_form,
                           flags=flags, editable=editable, reportable=reportable,
                           need=need, need_procurements=queries.need_procurements(need) if need else [],
                           watch_form=watch_form,
                           join_form=signed_in_form(ConfirmForm)), status


@public_page
def thread(slug: str, thread_id: int) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    thread = queries.thread_or_404(forum, thread_id)
    form = signed_in_form(ReplyForm)
    quote_id = id_arg("quote")
    if quote_id and form is not None:
        quoted = queries.post_or_404(quote_id)
        if quoted.thread_id == thread.id and not quoted.is_hidden:
            form.quote.data = str(quoted.id)
            form.body.data = "\n".join(f"> {line}" for line in quoted.body_md.splitlines()) + "\n\n"
    return _render_thread(forum, thread, form)


@login_required
def reply(slug: str, thread_id: int) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    thread = queries.thread_or_404(forum, thread_id)
    form = ReplyForm()
    if form.validate_on_submit():
        quoted = None
        quote_id = id_number(form.quote.data)
        if quote_id is not None:
            quoted = queries.post_or_404(quote_id)
        done = attempt(form, services.reply, thread, current_actor(), form.body.data, quoted, confirmed(form),
                       uploaded(form.attachment))
        if done.ok:
            post = done.value
            flash("Your reply is published.", "success")
            return redirect(url_for("forum.post_permalink", post_id=post.id))
    return _render_thread(forum, thread, form, 400)


@login_required
def watch_thread(slug: str, thread_id: int) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    thread = queries.thread_or_404(forum, thread_id)
    require(policy.can_participate(current_user, forum, queries.is_member(current_user, forum)), "forum.watch")
    form = WatchForm()
    form.level.choices = [(k, v) for k, v in WATCH_LEVELS.items() if k != "new_threads"]
    if form.validate_on_submit():
        call_service(services.set_watch, current_actor(), form.level.data, thread=thread)
        flash(f"Watching this thread: {WATCH_LEVELS[form.level.data].lower()}.", "success")
    else:
        flash("Select how closely you want to follow the thread.", "error")
    return redirect(url_for("forum.thread", slug=forum.slug, thread_id=thread.id))


def post_permalink(post_id: int) -> ResponseReturnValue:
    post = queries.post_or_404(post_id)
    page = queries.post_page_number(post)
    return redirect(url_for("forum.thread", slug=post.thread.forum.slug, thread_id=post.thread_id,
                            page=page if page > 1 else None, _anchor=f"post-{post.id}"))


@login_required
def edit_post(post_id: int) -> ResponseReturnValue:
    post = queries.post_or_404(post_id)
    require(policy.can_edit_post(current_user, post), "forum.post_edit")
    form = EditPostForm() if request.method == "POST" else EditPostForm(body=post.body_md)
    if form.validate_on_submit():
        done = attempt(form, services.edit_post, post, current_actor(), form.body.data, confirmed(form))
        if done.ok:
            flash("Your post is updated. Its earlier versions stay visible.", "success")
            return redirect(url_for("forum.post_permalink", post_id=post.id))
    return render_template("forum/edit_post.html", post=post, form=form)


def revisions(post_id: int) -> ResponseReturnValue:
    post = queries.post_or_404(post_id)
    if post.is_hidden:
        abort(404)
    return render_template("forum/revisions.html", post=post, revisions=queries.revisions(post))


def diff(post_id: int) -> ResponseReturnValue:
    post = queries.post_or_404(post_id)
    if post.is_hidden:
        abort(404)
    revs = {r.number: r for r in queries.revisions(post)}
    newer = request.args.get("to", type=int) or post.revision_count
    older = request.args.get("from", type=int) or newer - 1
    if older not in revs or newer not in revs or older >= newer:
        flash("Choose two different versions of the post to compare, the older first.", "error")
        return redirect(url_for("forum.revisions", post_id=post.id))
    return render_template("forum/diff.html", post=post, older=revs[older], newer=revs[newer],
                           diff=queries.diff_revisions(revs[older], revs[newer]))


@login_required
def report_post(post_id: int) -> ResponseReturnValue:
    post = queries.post_or_404(post_id)
    forum = post.thread.forum
    require(policy.can_report(current_user, forum, queries.is_member(current_user, forum)), "forum.post_report")
    form = ReasonForm()
    form.reason.label.text = "What is wrong with this post?"
    form.submit.label.text = "Report post"
    if form.validate_on_submit():
        done = attempt(form, services.report_post, post, current_actor(), form.reason.data)
        if done.ok:
            flash("Thank you. The forum’s moderators have been told.", "success")
            return redirect(url_for("forum.post_permalink", post_id=post.id))
    return render_template("forum/reason.html", post=post, form=form, title="Report a post",
                           action=url_for("forum.report_post", post_id=post.id))


@login_required
def hide_post(post_id: int) -> ResponseReturnValue:
    post = queries.post_or_404(post_id)
    require(policy.can_moderate(current_user, post.thread.forum), "forum.post_hide")
    form = ReasonForm()
    form.reason.label.text = "Why are you hiding this post?"
    form.reason.description = "The reason is shown publicly in place of the post and in the moderation log."
    form.submit.label.text = "Hide post"
    if form.validate_on_submit():
        done = attempt(form, services.hide_post, post, current_actor(), form.reason.data)
        if done.ok:
            flash("The post is hidden. Its author has been told why.", "success")
            return redirect(url_for("forum.post_permalink", post_id=post.id))
    return render_template("forum/reason.html", post=post, form=form, title="Hide a post",
                           action=url_for("forum.hide_post", post_id=post.id))
