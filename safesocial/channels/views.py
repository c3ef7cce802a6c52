import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from safesocial import hooks
from safesocial.people.models import User
from safesocial.permissions import Action, may, roles_at, schools_where
from safesocial.platforms.base import RemoteComment
from safesocial.platforms.models import SandboxBlock, SandboxComment, SandboxPost
from safesocial.views_kit import run_service
from safesocial.web import limit_reached

from . import forms, selectors, services
from .models import AccessLevel, Channel, ChannelAccess, ChannelStatus, Follow


def _staff_at(channel: Channel):
    users = User.objects.filter(trust_id=channel.trust_id, is_active=True)
    if channel.school_id:
        users = users.filter(
            Q(role_assignments__school_id=channel.school_id) | Q(role_assignments__school__isnull=True)
        )
    return users.distinct().order_by("full_name")


def _page_of(channel: Channel) -> str:
    return reverse("channels:detail", args=[channel.pk])


@login_required
def register(request: HttpRequest) -> HttpResponse:
    channels = selectors.channels_for(request.user).annotate(
        posters=Count("access", filter=Q(access__revoked_at__isnull=True, access__expires_on__gte=timezone.localdate()))
    )
    status = request.GET.get("status", "")
    if status:
        channels = channels.filter(status=status)
    can_propose = schools_where(request.user, Action.PROPOSE_CHANNEL).exists() or may(
        request.user, Action.PROPOSE_CHANNEL
    )
    return render(
        request,
        "channels/register.html",
        {
            "channels": channels,
            "status": status,
            "statuses": ChannelStatus.choices,
            "can_propose": can_propose,
            "mismatch": selectors.register_mismatch_for(request.user),
            "today": timezone.localdate(),
            "title": "Official channels",
        },
    )


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    user = request.user
    schools = schools_where(user, Action.PROPOSE_CHANNEL)
    allow_trust = may(user, Action.PROPOSE_CHANNEL)
    if not schools.exists() and not allow_trust:
        raise PermissionDenied("Your roles do not include proposing channels")
    considerations = user.trust.policy.channels.setup_considerations
    form = forms.ProposeForm(
        request.POST or None, schools=schools, allow_trust=allow_trust, considerations=considerations
    )

    def page() -> HttpResponse:
        return render(
            request,
            "channels/propose.html",
            {
                "form": form,
                "considerations": considerations,
                "title": "Propose a channel",
            },
        )

    def propose_it() -> Channel:
        d = form.cleaned_data
        return services.channel_propose(
            actor=user,
            trust=user.trust,
            school=d["school"],
            platform=d["platform"],
            delivery=d["delivery"],
            manual_reason=d["manual_reason"],
            name=d["name"],
            address=d["address"],
            official_email=d["official_email"],
            purpose=d["purpose"],
            audience=d["audience"],
            contributors=d["contributors"],
            time_commitment=d["time_commitment"],
            success_measures=d["success_measures"],
            risks=[services.RiskSpec(d["hazard"], d["likelihood"], d["mitigation"], user, d["impact"])],
            setup_answers=form.setup_answers(),
        )

    return run_service(
        request,
        propose_it,
        form=form,
        page=page,
        ok="Channel proposed. It needs sign-off before anyone can post to it.",
        then=_page_of,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    channel = selectors.channel_for(user, pk)
    policy = channel.trust.policy
    required = services.required_signoff_roles(channel)
    signed = {s.role: s for s in channel.signoffs.select_related("user")}
    held = roles_at(user, channel.school)
    can_sign = (
        channel.status == ChannelStatus.PROPOSED
        and bool(policy.channels.approvers.who_may_sign(held, signed))
        and all(s.user_id != user.pk for s in signed.values())
    )
    can_authorise = may(user, Action.AUTHORISE_POSTERS, channel.school)
    can_manage = services._may_manage(user, channel)
    staff = _staff_at(channel)
    context = {
        "channel": channel,
        "policy": policy,
        "risks": channel.risks.select_related("owner"),
        "required": [(role, signed.get(role)) for role in required],
        "can_sign": can_sign,
        "can_edit_risks": services._may_edit_assessment(user, channel) and channel.status != ChannelStatus.CLOSED,
        "can_authorise": can_authorise,
        "can_manage": can_manage,
        "can_review": may(user, Action.APPROVE_CHANNEL, channel.school),
        "can_break_glass": may(user, Action.BREAK_GLASS, channel.school),
        "can_post": selectors.can_post(user, channel),
        # Any member of staff may suggest a post for an active channel that takes posts (publishing.suggestion_create).
        "can_suggest": channel.status == ChannelStatus.ACTIVE
        and selectors.takes_posts(channel)
        and (
            may(user, Action.WRITE_POST, channel.school)
            or (channel.school_id is None and schools_where(user, Action.WRITE_POST).exists())
        ),
        "grants": channel.access.select_related("user", "granted_by").order_by("revoked_at", "user__full_name"),
        "credential": getattr(channel, "credential", None),
        "reviews": channel.reviews.select_related("reviewed_by")[:5],
        "follows": channel.follows.filter(removed_at__isnull=True),
        "break_glass": channel.break_glass.select_related("user")[:5],
        "risk_form": forms.RiskForm(staff=staff, initial={"owner": user.pk}),
        "grant_form": forms.GrantForm(staff=staff, max_months=channel.trust.policy.channels.access_max_months),
        "credential_form": forms.CredentialForm(initial={"external_id": channel.external_id}),
        "review_form": forms.ReviewForm(),
        "follow_form": forms.FollowForm(),
        "reason_form": forms.ReasonForm(),
        "contributors": [label for key, label in services.CONTRIBUTORS if key in channel.contributors],
        "today": timezone.localdate(),
        "title": channel.name,
        # Panels from the floors above (hooks.CHANNEL_PANELS): posts to publish by hand, take-downs.
        "panels": hooks.panels(hooks.CHANNEL_PANELS, request, channel),
    }
    return render(request, "channels/detail.html", context)


@login_required
@require_POST
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    channel = selectors.channel_for(request.user, pk)
    return run_service(
        request,
        lambda: services.channel_sign_off(actor=request.user, channel=channel, note=request.POST.get("note", "")),
        ok=lambda signed: f"Signed off. The channel is {signed.get_status_display().lower()}.",
        then=_page_of(channel),
    )


@login_required
@require_POST
def add_risk(request: HttpRequest, pk: int) -> HttpResponse:
    channel = selectors.channel_for(request.user, pk)
    form = forms.RiskForm(request.POST, staff=_staff_at(channel))

    def add() -> object:
        d = form.cleaned_data
        spec = services.RiskSpec(d["hazard"], d["likelihood"], d["mitigation"], d["owner"], d["impact"])
        return services.risk_add(actor=request.user, channel=channel, spec=spec)

    return run_service(
        request,
        add,
        form=form,
        invalid="Fill in every part of the risk: hazard, likelihood, mitigation and owner.",
        ok="Risk added to the assessment.",
        then=_page_of(channel),
    )


@login_required
@require_POST
def set_status(request: HttpRequest, pk: int, status: str) -> HttpResponse:
    channel = selectors.channel_for(request.user, pk)
    if status not in ChannelStatus.values:
        raise Http404
    return run_service(
        request,
        lambda: services.channel_set_status(
            actor=request.user, channel=channel, status=status, reason=request.POST.get("reason", "")
        ),
        ok=f"The channel is now {ChannelStatus(status).label.lower()}.",
        then=_page_of(channel),
    )


@login_required
@require_POST
def set_credential(request: HttpRequest, pk: int) -> HttpResponse:
    channel = selectors.channel_for(request.user, pk)
    form = forms.CredentialForm(request.POST)

    def save() -> object:
        d = form.cleaned_data
        if d["external_id"] and d["external_id"] != channel.external_id:
            services.channel_update_connection(actor=request.user, channel=channel, external_id=d["external_id"])
        return services.credential_set(
            actor=request.user, channel=channel, kind=d["kind"], secret=d["secret"], login=d["login"]
        )

    return run_service(
        request,
        save,
        form=form,
        invalid="Enter the token or password.",
        ok="Login saved, encrypted.",
        then=_page_of(channel),
    )


@never_cache
@login_required
def break_glass(request: HttpRequest, pk: int) -> HttpResponse:
    channel = selectors.channel_for(request.user, pk)
    if not may(request.user, Action.BREAK_GLASS, channel.school):
        raise PermissionDenied("The trust's policy does not give your role emergency access")
    form = forms.ReasonForm(request.POST or None)

    def page() -> HttpResponse:
        return render(
            request,
            "channels/break_glass.html",
            {"channel": channel, "form": form, "title": f"Emergency access to {channel}"},
        )

    def opened(result: tuple) -> HttpResponse:
        credential, secret = result
        return render(
            request,
            "channels/break_glass_open.html",
            {"channel": channel, "credential": credential, "secret": secret, "title": f"Emergency access to {channel}"},
        )

    return run_service(
        request,
        lambda: services.credential_break_glass(
            actor=request.user, channel=channel, reason=form.cleaned_data["reason"]
        ),
        form=form,
        field="reason",
        page=page,
        ok=None,
        then=opened,
        denied="raise",
    )


@login_required
@require_POST
def grant(request: HttpRequest, pk: int) -> HttpResponse:
    channel = selectors.channel_for(request.user, pk)
    form = forms.GrantForm(
        request.POST, staff=_staff_at(channel), max_months=channel.trust.policy.channels.access_max_months
    )

    def granted(_: ChannelAccess) -> str:
        d = form.cleaned_data
        return f"{d['user']} is now {AccessLevel(d['level']).label.lower()} until {d['expires_on']:%d %B %Y}."

    return run_service(
        request,
        lambda: services.access_grant(actor=request.user, channel=channel, **form.cleaned_data),
        form=form,
        invalid="Choose a member of staff, the access and an end date.",
        ok=granted,
        then=_page_of(channel),
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int, grant_id: int) -> HttpResponse:
    channel = selectors.channel_for(request.user, pk)
    grant = ChannelAccess.objects.filter(pk=grant_id, channel=channel).select_related("user", "channel").first()
    if grant is None:
        raise Http404
    return run_service(
        request,
        lambda: services.access_revoke(actor=request.user, grant=grant),
        ok=f"{grant.user}'s access was revoked.",
        then=_page_of(channel),
    )


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    channel = selectors.channel_for(request.user, pk)
    form = forms.ReviewForm(request.POST)
    return run_service(
        request,
        lambda: services.channel_review(actor=request.user, channel=channel, **form.cleaned_data),
        form=form,
        invalid="Say whether the channel meets its objectives and what the review found.",
        ok="Review recorded; the next one is due in the policy's cadence.",
        then=_page_of(channel),
    )


@login_required
@require_POST
def follow_add(request: HttpRequest, pk: int) -> HttpResponse:
    channel = selectors.channel_for(request.user, pk)
    form = forms.FollowForm(request.POST)
    return run_service(
        request,
        lambda: services.follow_add(actor=request.user, channel=channel, **form.cleaned_data),
        form=form,
        invalid="Give the page's name, address, whether it is commercial and why.",
        ok="Added to the register of followed pages.",
        then=_page_of(channel),
    )


@login_required
@require_POST
def follow_remove(request: HttpRequest, pk: int, follow_id: int) -> HttpResponse:
    channel = selectors.channel_for(request.user, pk)
    follow = Follow.objects.filter(pk=follow_id, channel=channel).first()
    if follow is None:
        raise Http404
    return run_service(
        request,
        lambda: services.follow_remove(actor=request.user, follow=follow),
        ok=f"{follow.name} removed from the register.",
        then=_page_of(channel),
    )


@login_required
def acceptable_use(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.trust is None:
        raise Http404
    form = forms.SignForm(request.POST or None)

    def page() -> HttpResponse:
        return render(
            request,
            "channels/acceptable_use.html",
            {
                "text": selectors.acceptable_use_text(user.trust),
                "signature": selectors.current_signature(user),
                "form": form,
                "title": "Social media acceptable use agreement",
            },
        )

    return run_service(
        request,
        lambda: services.aup_sign(actor=user, signed_name=form.cleaned_data["signed_name"]),
        form=form,
        field="signed_name",
        page=page,
        ok="Thank you: your signature is recorded.",
        then="channels:aup",
        denied="raise",
    )


def sandbox(request: HttpRequest, pk: int) -> HttpResponse:
    """The sandbox channel's public page: what followers would see. Open without sign-in, like a real page."""
    channel = Channel.objects.filter(pk=pk, delivery="sandbox").select_related("school", "trust").first()
    if channel is None or channel.status not in (ChannelStatus.ACTIVE, ChannelStatus.SUSPENDED):
        raise Http404
    posts = list(SandboxPost.objects.filter(channel_id=channel.pk).prefetch_related("comments")[:50])
    for post in posts:
        shown = [c for c in post.comments.all() if not (c.hidden or c.deleted)]
        shown_ids = {c.pk for c in shown}
        post.visible_comments = [c for c in shown if c.reply_to_id is None]
        for c in post.visible_comments:  # a reply shows under the comment it answers, and goes if that goes
            c.visible_replies = [r for r in shown if r.reply_to_id == c.pk and r.reply_to_id in shown_ids]
    # Say "sandbox" once: a channel is often named for it already ("Seabright Primary (sandbox Facebook page)").
    title = channel.name if "sandbox" in channel.name.casefold() else f"{channel.name} (sandbox)"
    return render(request, "channels/sandbox.html", {"channel": channel, "posts": posts, "title": title})


def sandbox_image(request: HttpRequest, pk: int, post_id: int, index: int) -> HttpResponse:
    from django.core.files.storage import default_storage
    from django.http import FileResponse

    post = SandboxPost.objects.filter(pk=post_id, channel_id=pk).first()
    if post is None or index >= len(post.image_files) or not Channel.objects.filter(pk=pk, delivery="sandbox").exists():
        raise Http404
    return FileResponse(default_storage.open(post.image_files[index], "rb"))


SANDBOX_COMMENT_LIMIT = 10  # comments a minute from one visitor (its real address, through TRUSTED_PROXIES)


@require_POST
def sandbox_comment(request: HttpRequest, pk: int, post_id: int) -> HttpResponse:
    """A visitor comments on a sandbox post, as the public would on the real page. The comment goes through the
    same moderation as a webhook delivery, so abuse is hidden before the page is shown again."""
    channel = Channel.objects.filter(pk=pk, delivery="sandbox").first()
    post = SandboxPost.objects.filter(pk=post_id, channel_id=pk).first()
    if post is None or channel is None or channel.status != ChannelStatus.ACTIVE:
        raise Http404
    visitor = request.session.setdefault("sandbox_visitor", f"visitor-{secrets.token_urlsafe(12)}")
    name = request.POST.get("name", "").strip()[:100]
    text = request.POST.get("text", "").strip()
    if not name or not text:
        messages.error(request, "Give your name and write a comment.")
    elif len(text) > 8000:
        messages.error(request, "That comment is too long for this page (8,000 characters at most).")
    elif SandboxBlock.objects.filter(channel_id=channel.pk, author_id=visitor).exists():
        messages.error(request, "You can no longer comment on this page.")
    elif limit_reached(request, "sandbox-comment", limit=SANDBOX_COMMENT_LIMIT, window=60):
        messages.error(request, "You have posted too many comments in the last minute. Wait a minute and try again.")
    else:
        comment = SandboxComment.objects.create(post=post, author_id=visitor, author_name=name, text=text)
        # Moderation sits above channels: it takes the comment through hooks.COMMENT_ARRIVED.
        remote = RemoteComment(
            external_id=f"sandbox-comment-{comment.pk}",
            parent_external_id=f"sandbox-{post.pk}",
            author_id=visitor,
            author_name=name,
            text=text,
            created_at=comment.created_at,
            url=None,
        )
        hooks.COMMENT_ARRIVED.call(channel, remote)
        messages.success(request, "Comment posted.")
    return redirect(f"{reverse('sandbox', args=[pk])}#post-{post.pk}")
