import calendar
import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safesocial.channels.models import ChannelStatus
from safesocial.channels.selectors import can_post, channels_for, owns_or_administers, postable_channels, takes_posts
from safesocial.consent.models import Purpose
from safesocial.consent.selectors import consents_for, in_force
from safesocial.images import face_crop as crop
from safesocial.people.models import Pupil
from safesocial.people.selectors import schools_for
from safesocial.permissions import Action, may
from safesocial.storage import private_file_response
from safesocial.views_kit import fragment_view, is_partial, run_service

from . import selectors, services
from .forms import ByHandForm, DeclineForm, PostForm, ReviewForm, SubmitForm, SuggestionForm
from .models import (
    EDITABLE,
    DeliveryStatus,
    FaceKind,
    FaceTag,
    PostImage,
    PostStatus,
    SuggestionImage,
    SuggestionStatus,
    TakeDown,
    TakeDownReason,
    WithdrawalDecision,
)

TABS = [
    ("review", "Waiting for my review"),
    ("mine", "My posts"),
    ("scheduled", "Scheduled"),
    ("published", "Published"),
    ("failed", "Failed"),
]


def _categories(trust):
    return [(c.key, c.label) for c in trust.policy.posts.categories]


def _page_of(post) -> str:
    return reverse("publishing:detail", args=[post.pk])


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    tab = request.GET.get("tab", "review")
    if tab == "review":
        posts = selectors.awaiting_review_by(user)
    elif tab == "mine":
        posts = selectors.posts_for(user).filter(author=user)
    elif tab in ("scheduled", "published", "failed"):
        posts = selectors.posts_for(user).filter(status=tab)
    else:
        raise Http404
    return render(
        request,
        "publishing/list.html",
        {
            "posts": selectors.list_rows(posts),
            "tab": tab,
            "tabs": TABS,
            "can_write": postable_channels(user).exists(),
            "title": "Posts",
        },
    )


@login_required
def post_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    channels = postable_channels(user)
    if not channels.exists():
        messages.info(
            request,
            "You are not authorised to post to any active channel. Ask the person your policy names to authorise you.",
        )
        return redirect("channels:register")
    initial = {"channels": [request.GET["channel"]]} if request.GET.get("channel", "").isdigit() else None
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        channels=channels,
        categories=_categories(user.trust),
        initial=initial,
    )

    def create():
        d = form.cleaned_data
        return services.post_create(
            actor=user,
            channels=list(d["channels"]),
            text=d["text"],
            category=d["category"],
            scheduled_for=d["scheduled_for"],
            images=form.images(),
        )

    return run_service(
        request,
        create,
        form=form,
        page=lambda: render(request, "publishing/form.html", {"form": form, "title": "Write a post"}),
        ok="Draft saved. Check the preview, then send it for review.",
        then=_page_of,
    )


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for(request.user, pk)
    if post.status not in EDITABLE:
        raise Http404
    initial = {
        "text": post.text,
        "category": post.category,
        "scheduled_for": post.scheduled_for and timezone.localtime(post.scheduled_for),
    }
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        channels=None,
        categories=_categories(post.trust),
        editing=True,
        initial=initial,
    )
    was_submitted = post.status not in (PostStatus.DRAFT, PostStatus.REJECTED)

    def update():
        d = form.cleaned_data
        return services.post_update(
            actor=request.user,
            post=post,
            text=d["text"],
            category=d["category"],
            scheduled_for=d["scheduled_for"],
            images=form.images(),
            remove_images=[int(i) for i in request.POST.getlist("remove_image") if i.isdigit()],
        )

    def saved(post) -> str | None:
        if was_submitted and post.status == PostStatus.DRAFT:
            messages.error(request, "Saved, but the automated checks found something to fix first: see below.")
            return None
        return "Saved." + (" It goes back to review." if post.status == PostStatus.IN_REVIEW else "")

    return run_service(
        request,
        update,
        form=form,
        page=lambda: render(request, "publishing/form.html", {"form": form, "post": post, "title": "Edit the post"}),
        ok=saved,
        then=_page_of,
    )


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for(request.user, pk)
    return render(request, "publishing/detail.html", _detail_context(request, post))


def _detail_context(request: HttpRequest, post, review_form: ReviewForm | None = None) -> dict:
    user = request.user
    deliveries = list(post.deliveries.select_related("channel"))
    is_author = post.author_id == user.pk
    wrote_this_version = is_author or post.edited_by_id == user.pk
    may_review = (
        not wrote_this_version and may(user, Action.REVIEW_POST, post.school) and post.status == PostStatus.IN_REVIEW
    )
    already = post.reviews.filter(post_version=post.version, reviewer=user).exists()
    may_edit = post.status in EDITABLE and (is_author or any(can_post(user, d.channel) for d in deliveries))
    faces = _faces_context(user, post, request.GET)
    context = {
        **faces,
        "post": post,
        "deliveries": deliveries,
        "images": post.images.all(),
        "reviews": post.reviews.select_related("reviewer"),
        "is_author": is_author,
        "may_edit": may_edit,
        "may_submit": is_author and post.status in (PostStatus.DRAFT, PostStatus.REJECTED),
        "may_review": may_review and not already,
        "may_retry": post.status == PostStatus.FAILED and may_edit,
        "may_withdraw": post.status not in (PostStatus.PUBLISHED, PostStatus.WITHDRAWN)
        and (may_edit or may(user, Action.APPROVE_CHANNEL, post.school)),
        "may_take_down": post.status == PostStatus.PUBLISHED and services.may_take_down(user, post),
        "take_down_reasons": TakeDownReason.choices,
        "take_downs": [d.take_down for d in deliveries if hasattr(d, "take_down")],
        # Approved for a channel published by hand: where this person may record the link, a form for each.
        "by_hand": [
            (d, ByHandForm(prefix=f"by-hand-{d.pk}"))
            for d in deliveries
            if d.status == DeliveryStatus.MANUAL and _may_record(user, d)
        ],
        "submit_form": SubmitForm(reviewers=selectors.eligible_reviewers(post)),
        "review_form": review_form or ReviewForm(criteria=post.trust.policy.posts.criteria),
        "needed": post.trust.policy.posts.reviewers_required,
        "approvals": post.reviews.filter(post_version=post.version, decision="approve").count(),
        "category_label": dict(_categories(post.trust)).get(post.category, post.category),
        "title": f"Post: {post}",
    }
    return context


def _faces_context(user, post, query) -> dict:
    """The faces found in the post's photos, whom they are tagged as, and whether each may be published; with the
    pupils to tag each as: the school's earlier tags first, or the results of a search (?face=&q=, which works
    without JavaScript)."""
    faces = list(FaceTag.objects.filter(image__post=post).select_related("pupil", "suggested_pupil", "tagged_by"))
    if not faces:
        return {"faces": []}
    records = consents_for([f.pupil for f in faces if f.pupil])
    rows = []
    for face in faces:
        if face.blurred:
            state = ("ok", "Blurred")
        elif face.kind == FaceKind.UNTAGGED:
            state = ("bad", "Not tagged")
        elif face.kind == FaceKind.NOT_PUPIL:
            state = ("ok", "Not one of our pupils")
        elif face.kind == FaceKind.NOT_A_FACE:
            state = ("ok", f"Not a face (said {face.tagged_by})")
        elif in_force(records.get(face.pupil_id, {}), Purpose.SOCIAL_MEDIA):
            state = ("ok", "Photo consent given")
        else:
            state = ("bad", "No photo consent: blur this face")
        rows.append([face, state])
    editable = post.status in (PostStatus.DRAFT, PostStatus.REJECTED) and services.may_tag(user, post)
    searched, q = query.get("face", ""), query.get("q", "").strip()[:80]
    if editable:
        suggestions = selectors.pupils_to_tag(post)
        for row in rows:
            row.append(selectors.pupils_to_tag(post, q) if q and searched == str(row[0].pk) else suggestions)
    return {
        "faces": rows,
        "faces_editable": editable,
        "search_face": searched,
        "q": q,
        "needs_blur": any(state[0] == "bad" for _, state, *_ in rows),
    }


def _whom(post) -> str:
    """The colleague the author asked for, or the people SafeSocial emails on their behalf."""
    names = [person.full_name for person in services.reviewers_to_notify(post)] or ["a colleague"]
    if len(names) > 3:
        names = [*names[:3], f"{len(names) - 3} other{pluralize(len(names) - 3)}"]
    return f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else names[0]


@login_required
@require_POST
def post_submit(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for(request.user, pk)
    form = SubmitForm(request.POST, reviewers=selectors.eligible_reviewers(post))
    reviewer = form.cleaned_data["reviewer"] if form.is_valid() else None

    def sent(result) -> str | None:
        post, _ = result
        if post.status == PostStatus.IN_REVIEW:
            return f"Sent for review to {_whom(post)}. You will get an email when it has been read."
        messages.error(request, "The automated checks found something to fix first: see below.")
        return None

    return run_service(
        request,
        lambda: services.post_submit(actor=request.user, post=post, reviewer=reviewer),
        ok=sent,
        then=_page_of(post),
    )


@login_required
@require_POST
def post_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer who left a criterion unticked gets the form back, with their notes and ticks, and an error."""
    post = selectors.post_for(request.user, pk)
    form = ReviewForm(request.POST, criteria=post.trust.policy.posts.criteria)
    return run_service(
        request,
        lambda: services.post_approve(
            actor=request.user,
            post=post,
            notes=form.cleaned_data["notes"],
            confirmed=form.cleaned_data.get("criteria", []),
        ),
        form=form,
        field="criteria" if "criteria" in form.fields else None,
        page=lambda: render(request, "publishing/detail.html", _detail_context(request, post, review_form=form)),
        ok="Approved. Thank you for reading it.",
        then=_page_of(post),
    )


@login_required
@require_POST
def post_reject(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for(request.user, pk)
    return run_service(
        request,
        lambda: services.post_reject(actor=request.user, post=post, notes=request.POST.get("notes", "")),
        ok="Returned to the author with your notes.",
        then=_page_of(post),
    )


@login_required
@require_POST
def post_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for(request.user, pk)
    return run_service(
        request,
        lambda: services.post_withdraw(actor=request.user, post=post, reason=request.POST.get("reason", "")),
        ok="Withdrawn. It will not be published.",
        then=_page_of(post),
    )


@login_required
@require_POST
def post_take_down(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for(request.user, pk)
    return run_service(
        request,
        lambda: services.post_take_down(
            actor=request.user, post=post, reason=request.POST.get("reason", ""), note=request.POST.get("note", "")
        ),
        ok="Take-down started: each channel below says how it went.",
        then=_page_of(post),
    )


@login_required
@require_POST
def take_down_confirm(request: HttpRequest, pk: int, take_down_id: int) -> HttpResponse:
    post = selectors.post_for(request.user, pk)
    row = get_object_or_404(TakeDown, pk=take_down_id, delivery__post=post)
    return run_service(
        request,
        lambda: services.take_down_confirm(actor=request.user, take_down=row),
        ok="Recorded: the post is gone from that channel.",
        then=_page_of(post),
    )


@login_required
@require_POST
def withdrawal_decide(request: HttpRequest, pk: int, decision_id: int) -> HttpResponse:
    post = selectors.post_for(request.user, pk)
    decision = get_object_or_404(WithdrawalDecision, pk=decision_id, post=post)
    return run_service(
        request,
        lambda: services.withdrawal_decide(
            actor=request.user,
            decision=decision,
            take_down=request.POST.get("decision") == "take_down",
            because=request.POST.get("because", ""),
        ),
        ok="Decision recorded.",
        then=_page_of(post),
    )


@login_required
@require_POST
def post_retry(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for(request.user, pk)
    return run_service(
        request,
        lambda: services.post_retry(actor=request.user, post=post),
        ok="It will be tried again.",
        then=_page_of(post),
    )


@login_required
def image(request: HttpRequest, pk: int, image_id: int) -> HttpResponse:
    post = selectors.post_for(request.user, pk)
    img = PostImage.objects.filter(pk=image_id, post=post).first()
    if img is None:
        raise Http404
    # On S3 a link signed for this photo alone, expiring in STORAGE_SIGNED_URL_SECONDS; streamed from disk otherwise.
    return private_file_response(img.file, content_type=img.content_type)


@login_required
def calendar_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("month", f"{today:%Y-%m}").split("-"))
        first = dt.date(year, month, 1)
    except ValueError:
        raise Http404 from None
    school = None
    if request.GET.get("school"):
        school = schools_for(user).filter(key=request.GET["school"]).first()
        if school is None:
            raise Http404
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tz)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    end = dt.datetime.combine(next_month, dt.time.min, tz)
    by_day: dict[dt.date, list] = {}
    for post in selectors.calendar_posts(user, start, end, school):
        when = timezone.localtime(post.scheduled_for or post.published_at)
        by_day.setdefault(when.date(), []).append((when, post))
    weeks = [
        [(day, sorted(by_day.get(day, []), key=lambda p: p[0]), day.month == month) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return render(
        request,
        "publishing/calendar.html",
        {
            "weeks": weeks,
            "first": first,
            "previous": f"{previous:%Y-%m}",
            "next": f"{next_month:%Y-%m}",
            "school": school,
            "schools": schools_for(user),
            "today": today,
            "title": f"Calendar, {first:%B %Y}",
        },
    )


def public_image(request: HttpRequest, name: str) -> HttpResponse:
    """Images of approved posts, at the address platforms that fetch media by URL (Instagram) are given.
    Nothing else is served here: drafts and posts in review stay private."""
    img = (
        PostImage.objects.filter(
            file__endswith=f"/{name}", post__status__in=[PostStatus.SCHEDULED, PostStatus.PUBLISHED]
        )
        .order_by("-pk")
        .first()
    )
    if img is None:
        raise Http404
    return FileResponse(img.file.open("rb"), content_type=img.content_type)


@login_required
def face_crop(request: HttpRequest, pk: int, face_id: int) -> HttpResponse:
    post = selectors.post_for(request.user, pk)
    face = FaceTag.objects.filter(pk=face_id, image__post=post).select_related("image").first()
    if face is None:
        raise Http404
    with face.image.file.open("rb") as f:
        data = crop(f.read(), face.box)
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@fragment_view
@login_required
@require_POST
def tag_face(request: HttpRequest, pk: int, face_id: int) -> HttpResponse:
    post = selectors.post_for(request.user, pk)
    face = FaceTag.objects.filter(pk=face_id, image__post=post).first()
    if face is None:
        raise Http404
    choice = request.POST.get("who", "")
    pupil = None
    if choice.isdigit():
        pupil = Pupil.objects.filter(pk=int(choice), school_id=post.school_id, on_roll=True).first()
        if pupil is None:
            raise Http404
    return run_service(
        request,
        lambda: services.face_tag(
            actor=request.user,
            face=face,
            pupil=pupil,
            not_pupil=choice == "not_pupil",
            not_a_face=choice == "not_a_face",
        ),
        ok="Face tagged.",
        then=f"{_page_of(post)}#faces",
        fragment=_photos_now(request, post),
    )


def _photos_now(request: HttpRequest, post):
    """After a tag or a blur, with htmx: the post's checks and faces at once, in place."""

    def fragment(said: str, ok: bool) -> HttpResponse:
        post.refresh_from_db()
        context = {**_detail_context(request, post), "live_messages": [said], "live_ok": ok}
        return render(request, "publishing/detail.html#live", context)

    return fragment


@fragment_view
@login_required
def pupil_search(request: HttpRequest, pk: int, face_id: int) -> HttpResponse:
    """The pupils to tag a face as, for the search box on the post page (htmx); without JavaScript the same search
    is a plain form that reloads the post page."""
    from .models import FaceTag

    post = selectors.post_for(request.user, pk)
    face = FaceTag.objects.filter(pk=face_id, image__post=post).first()
    if face is None or not services.may_tag(request.user, post):
        raise Http404
    if not is_partial(request):
        query = urlencode({"face": face.pk, "q": request.GET.get("q", "")})
        return redirect(f"{reverse('publishing:detail', args=[pk])}?{query}#face-{face.pk}")
    choices = selectors.pupils_to_tag(post, request.GET.get("q", "").strip()[:80])
    return render(request, "publishing/detail.html#pupil_choices", {"face": face, "choices": choices})


@fragment_view
@login_required
@require_POST
def blur_faces(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for(request.user, pk)
    return run_service(
        request,
        lambda: services.post_blur_faces_without_consent(actor=request.user, post=post),
        ok=lambda count: f"{count} face{pluralize(count)} blurred. The original stays inside SafeSocial.",
        then=f"{_page_of(post)}#faces",
        fragment=_photos_now(request, post),
    )


# --- Channels published by hand ---------------------------------------------------------------------------------------


def _may_record(user, delivery) -> bool:
    return can_post(user, delivery.channel) or owns_or_administers(user, [delivery.channel_id])


@login_required
@require_POST
def record_by_hand(request: HttpRequest, pk: int, delivery_id: int) -> HttpResponse:
    """A poster says where and when they published an approved post by hand; a mistake comes back beside its field."""
    post = selectors.post_for(request.user, pk)
    delivery = get_object_or_404(post.deliveries.select_related("channel"), pk=delivery_id)
    form = ByHandForm(request.POST, prefix=f"by-hand-{delivery.pk}")

    def page() -> HttpResponse:
        context = _detail_context(request, post)
        others = [(d, f) for d, f in context["by_hand"] if d.pk != delivery.pk]
        context["by_hand"] = [(delivery, form), *others]  # with its refusal, even for someone who may not record
        return render(request, "publishing/detail.html", context, status=400)

    return run_service(
        request,
        lambda: services.delivery_record_by_hand(
            actor=request.user, delivery=delivery, url=form.cleaned_data["url"], published_at=form.published_at()
        ),
        form=form,
        page=page,
        ok=f"Recorded: the post is on {delivery.channel}.",
        then=_page_of(post),
    )


# --- Suggestions ------------------------------------------------------------------------------------------------------


def _suggestable_channels(user):
    """Active channels of the user's trust that take posts and that they may suggest one for."""
    channels = channels_for(user).filter(status=ChannelStatus.ACTIVE)
    return channels.filter(pk__in=[c.pk for c in channels if takes_posts(c) and services.may_suggest(user, c)])


@login_required
def suggestion_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    waiting = list(selectors.suggestions_waiting_for(user)[:200])
    mine = list(selectors.suggestions_for(user).filter(suggested_by=user).order_by("-created_at")[:200])
    return render(
        request,
        "publishing/suggestions.html",
        {
            "waiting": waiting,
            "mine": mine,
            "can_suggest": _suggestable_channels(user).exists(),
            "to_role": user.trust.policy.posts.suggestions_to if user.trust else None,
            "title": "Suggestions for posts",
        },
    )


@login_required
def suggest(request: HttpRequest) -> HttpResponse:
    user = request.user
    channels = _suggestable_channels(user)
    if not channels.exists():
        messages.info(request, "There is no active channel you can suggest a post for.")
        return redirect("channels:register")
    initial = {"channel": request.GET["channel"]} if request.GET.get("channel", "").isdigit() else None
    form = SuggestionForm(
        request.POST or None,
        request.FILES or None,
        channels=channels,
        categories=_categories(user.trust),
        initial=initial,
    )

    def create():
        d = form.cleaned_data
        return services.suggestion_create(
            actor=user, channel=d["channel"], text=d["text"], category=d["category"], images=form.images()
        )

    return run_service(
        request,
        create,
        form=form,
        page=lambda: render(
            request,
            "publishing/suggest.html",
            {"form": form, "to_role": user.trust.policy.posts.suggestions_to, "title": "Suggest a post"},
        ),
        ok="Suggestion sent. You will get an email when it has an answer.",
        then=lambda suggestion: reverse("publishing:suggestion", args=[suggestion.pk]),
    )


def _suggestion_context(request: HttpRequest, suggestion, decline_form: DeclineForm | None = None) -> dict:
    user = request.user
    may_decide = selectors.may_decide_suggestion(user, suggestion)
    return {
        "suggestion": suggestion,
        "images": suggestion.images.all(),
        "deciders": selectors.suggestion_deciders(suggestion),
        "may_decide": may_decide,
        "may_agree": may_decide and suggestion.status == SuggestionStatus.OPEN and bool(suggestion.to_role),
        "may_draft": may_decide and can_post(user, suggestion.channel),
        "decline_form": decline_form or DeclineForm(),
        "category_label": dict(_categories(suggestion.trust)).get(suggestion.category, suggestion.category),
        "title": f"Suggestion: {suggestion}",
    }


@login_required
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.suggestion_for(request.user, pk)
    return render(request, "publishing/suggestion.html", _suggestion_context(request, suggestion))


def _suggestion_page(suggestion) -> str:
    return reverse("publishing:suggestion", args=[suggestion.pk])


@login_required
@require_POST
def suggestion_agree(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.suggestion_for(request.user, pk)
    return run_service(
        request,
        lambda: services.suggestion_agree(actor=request.user, suggestion=suggestion),
        ok="Agreed. The channel's posters are asked to write it.",
        then=_suggestion_page(suggestion),
    )


@login_required
@require_POST
def suggestion_draft(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.suggestion_for(request.user, pk)
    return run_service(
        request,
        lambda: services.suggestion_draft(actor=request.user, suggestion=suggestion),
        ok="A draft of yours now. Check it, tag any faces, then send it for review.",
        then=_page_of,
        back=_suggestion_page(suggestion),
    )


@login_required
@require_POST
def suggestion_decline(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.suggestion_for(request.user, pk)
    form = DeclineForm(request.POST)
    return run_service(
        request,
        lambda: services.suggestion_decline(actor=request.user, suggestion=suggestion, note=form.cleaned_data["note"]),
        form=form,
        page=lambda: render(
            request,
            "publishing/suggestion.html",
            _suggestion_context(request, suggestion, decline_form=form),
            status=400,
        ),
        ok="Declined. Your colleague can read your note.",
        then=_suggestion_page(suggestion),
    )


@login_required
def suggestion_image(request: HttpRequest, pk: int, image_id: int) -> HttpResponse:
    suggestion = selectors.suggestion_for(request.user, pk)
    img = SuggestionImage.objects.filter(pk=image_id, suggestion=suggestion).first()
    if img is None:
        raise Http404
    return private_file_response(img.file, content_type=img.content_type)
