"""Which test shows that each field of the policy schema acts, or why a field only prints.

Issue 18's promise: a trust's policy file is the whole truth. Every field either changes what SafeSocial does (and
the test named here changes the field and sees the difference) or is text-only: printed in the document and never
described, in explain.py, docs/policy-schema.md or `safesocial policy show`, as doing anything.

Paths are dotted through the schema: a list or a dict of models adds no step ("trust.schools.key",
"moderation.categories.action"). Only leaf fields need an entry; a section may have one too.
safesocial/policy/tests/test_field_coverage.py walks the schema and fails for a field with no entry, for an entry
naming no field, and for an Acts entry whose test does not exist.

Adding a field: add its entry here in the same change.

An Acts entry names a test that changes the field's value (many build policy 000's trust with the field changed:
test_changing_fields.py), or two tests under example policies that set it differently (000 and 002 for
`concerns.report_to`). A few entries still check the behaviour under one example's value only: `trust.schools.*`,
`contacts.*`, `posts.categories.key`, `posts.reviewer_roles`, `posts.suggestions_to`,
`parents.escalation.*`, `parents.warning_letter`, `concerns.trust_lead`, `concerns.about_staff_to`,
`concerns.about_leader_to`, `concerns.friendship_discussed_with`, `concerns.guidance`, `registers.ai_tools_approver`
and `consent.withdrawal_decision_working_days`. Each is a candidate for a second case, not evidence that the field is
free.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel


class Acts:
    """The field (or sentence) names behaviour; each test, "<path from the repository root>::<test function>", changes
    what it names and sees SafeSocial behave differently, or checks the behaviour the sentence states."""

    __slots__ = ("tests",)

    def __init__(self, *tests: str) -> None:
        if not tests:
            raise ValueError("Acts needs at least one test")
        self.tests: tuple[str, ...] = tests

    def __repr__(self) -> str:
        return f"Acts{self.tests!r}"


@dataclass(frozen=True)
class TextOnly:
    """The field is printed (the document, the public pages, `policy show`) and nothing acts on it; or, for a
    sentence of explain.py, the sentence describes what the policy says and claims nothing SafeSocial does."""

    reason: str


def TEXT_ONLY(reason: str) -> TextOnly:
    return TextOnly(reason)


def _models_in(annotation: object) -> list[type[BaseModel]]:
    """The models a field holds, through list[...], dict[str, ...], Annotated[...] and unions."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models_in(arg)]


def schema_fields(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, bool]]:
    """Every field path of `model`, with whether it is a leaf (holds no model of its own)."""
    for name, field in model.model_fields.items():
        path = prefix + name
        inner = _models_in(field.annotation)
        yield path, not inner
        for sub in inner:
            yield from schema_fields(sub, path + ".")


_POLICY = "safesocial/policy/tests/test_services.py"
_DIFF = "safesocial/policy/tests/test_policy_differences.py"
_REVIEW = "safesocial/policy/tests/test_review.py"
_CHANNELS = "safesocial/channels/tests/test_services.py"
_CONCERNS = "safesocial/concerns/tests/test_services.py"
_ROLES = "safesocial/policy/tests/test_approvers_and_roles.py"
_TRIAGE = "safesocial/concerns/tests/test_triage.py"
_REGISTERS = "safesocial/registers/tests/test_registers.py"
_TRAINING = "safesocial/compliance/tests/test_training.py"
_ESCALATION = "safesocial/escalation/tests/test_escalation.py"
_NEW = "safesocial/policy/tests/test_new_policy_fields.py"
_LATE = "safesocial/moderation/tests/test_remove_within_hours.py"
_CRITERIA = (
    "safesocial/publishing/tests/test_post_life.py::test_the_reviewer_sees_the_policys_post_criteria_as_a_checklist",
    "safesocial/publishing/tests/test_post_life.py"
    "::test_approving_without_ticking_every_criterion_is_a_form_error_that_keeps_the_notes_and_ticks",
    "safesocial/publishing/tests/test_post_life.py::test_a_policy_without_criteria_shows_no_checklist_and_approves",
)
_OWN_CHANNELS = "safesocial/channels/tests/test_policy_channels.py"
_OFFICIAL = (
    f"{_OWN_CHANNELS}::test_the_register_shows_policy_channels_missing_from_it_and_channels_the_policy_does_not_name",
    f"{_OWN_CHANNELS}::test_a_register_that_matches_the_policy_shows_no_warning",
    f"{_OWN_CHANNELS}::test_policy_check_warns_where_the_file_and_the_register_differ",
)
_HARD = "safesocial/policy/tests/test_policy_not_hard_coded.py"
# The letterhead: each is printed on the warning letter, and that test changes them and reads the PDF back.
_LETTERS = "safesocial/escalation/tests/test_letters.py"
_LETTERHEAD = f"{_LETTERS}::test_the_edited_words_are_what_is_kept_and_what_the_pdf_says"
_SIGNATORY = f"{_LETTERS}::test_a_signatory_named_in_the_policy_signs_every_letter"
_CREATE = f"{_POLICY}::test_creating_a_trust_makes_its_schools_key_contacts_and_first_version"
# Tests that build policy 000's trust with one field changed and see the difference.
_CHANGED = "safesocial/policy/tests/test_changing_fields.py"
_OFFENDERS = "safesocial/moderation/tests/test_repeat_offender_policy.py"

FIELDS: dict[str, Acts | TextOnly] = {
    "schema_version": TEXT_ONLY("the file format's version; only 1 is accepted"),
    # trust
    "trust.name": TEXT_ONLY("the trust's name, shown on every page and in the document"),
    "trust.short_name": TEXT_ONLY("a shorter name for page headers"),
    "trust.website": TEXT_ONLY("a link printed on the public pages"),
    "trust.schools.key": Acts(_CREATE),
    "trust.schools.name": Acts(_CREATE),
    "trust.schools.urn": Acts(_CREATE),
    "trust.schools.phase": Acts(_CREATE),
    "trust.address": Acts(_LETTERHEAD),
    "trust.phone": Acts(_LETTERHEAD),
    "trust.email": Acts(_LETTERHEAD),
    "trust.logo": Acts(
        "safesocial/tests/test_letterhead.py::test_a_logo_is_inline_svg_or_a_data_address_never_a_web_address"
    ),
    # document
    "document.title": TEXT_ONLY("the document's title"),
    "document.version": TEXT_ONLY("printed; SafeSocial numbers its own versions when a file is adopted"),
    "document.written": TEXT_ONLY("printed on the document"),
    "document.approved_by": TEXT_ONLY("the body named as approving the policy, printed"),
    "document.approved_on": TEXT_ONLY("printed; written by SafeSocial when a review is approved"),
    "document.history.date": TEXT_ONLY("the document's history table"),
    "document.history.event": TEXT_ONLY("the document's history table"),
    "document.history.by": TEXT_ONLY("the document's history table"),
    # review
    "review.cadence_months": Acts(f"{_CHANGED}::test_an_approved_review_sets_the_next_one_a_cadence_on"),
    "review.next_review": Acts(f"{_REVIEW}::test_reminders_go_once_on_each_of_the_policys_days"),
    "review.reminders_to": Acts(f"{_REVIEW}::test_reminders_go_once_on_each_of_the_policys_days"),
    "review.approver": Acts(
        f"{_REVIEW}::test_a_review_approved_by_someone_the_policy_does_not_name_is_refused",
        f"{_DIFF}::test_policy_001_is_reviewed_every_two_years_by_the_trustees",
        f"{_ROLES}::test_the_review_under_all_of_is_adopted_only_when_both_have_signed",
    ),
    "review.noted_by": Acts(f"{_REVIEW}::test_the_governing_body_notes_the_approved_review"),
    "review.also_after": TEXT_ONLY("the events after which the trust reviews its policy, printed"),
    "review.early.after_debrief": Acts(
        f"{_NEW}::test_a_debrief_saying_the_policy_should_change_brings_the_review_forward_when_the_policy_says_so"
    ),
    "review.early.guidance.published": Acts(
        f"{_NEW}::test_new_guidance_named_in_the_policy_brings_the_review_forward_on_its_date"
    ),
    "review.early.guidance.title": TEXT_ONLY("names the guidance in the dashboard item that brings the review forward"),
    "review.reminder_days_before": Acts(f"{_REVIEW}::test_reminders_go_once_on_each_of_the_policys_days"),
    # contacts
    "contacts.name": Acts(_CREATE),
    "contacts.email": Acts(_CREATE),
    "contacts.job_title": Acts(_CREATE),
    "contacts.roles": Acts(_CREATE),
    # the trust's own roles
    "roles.key": Acts(
        f"{_ROLES}::test_a_declared_role_receives_the_concerns_the_policy_routes_to_it",
        f"{_ROLES}::test_staff_can_be_given_only_roles_safesocial_or_the_policy_knows",
    ),
    "roles.label": Acts(f"{_ROLES}::test_the_add_staff_form_offers_and_accepts_the_trusts_own_roles"),
    "roles.acts_as": Acts(f"{_ROLES}::test_004s_executive_headteacher_has_the_ceos_powers_under_her_own_title"),
    "contacts.school": Acts(_CREATE),
    "contacts.phone": Acts(_CREATE),
    # channels
    "channels.approver": Acts(
        f"{_CHANNELS}::test_the_ceo_cannot_sign_off_a_school_channel_under_policy_000",
        f"{_CHANNELS}::test_under_policy_003_the_ceo_alone_approves_a_channel",
    ),
    "channels.co_approvers": Acts(f"{_CHANNELS}::test_a_policy_naming_co_approvers_waits_for_each_of_them"),
    "channels.poster_authoriser": Acts(f"{_DIFF}::test_policy_003_the_ceo_approves_channels_and_authorises_posters"),
    "channels.emergency_access": Acts(
        f"{_CHANGED}::test_only_the_roles_the_policy_names_may_break_glass_on_a_channels_login",
        f"{_CHANNELS}::test_break_glass_needs_a_reason_tells_the_owner_and_is_audited",
    ),
    "channels.moderators": Acts(
        "safesocial/moderation/tests/test_inbox.py::test_someone_who_moderates_no_channel_sees_the_moderators_of_their_school",
        f"{_HARD}::test_the_moderators_the_policy_names_replace_the_channel_administrators",
    ),
    "channels.access_max_months": Acts(f"{_HARD}::test_channel_access_runs_no_longer_than_the_policy_allows"),
    "channels.review_months": Acts(f"{_CHANGED}::test_a_new_channel_is_due_for_review_after_the_policys_months"),
    "channels.aup_signature_required": Acts(f"{_CHANNELS}::test_posters_must_sign_the_acceptable_use_agreement_first"),
    "channels.school_devices_only": TEXT_ONLY("a rule for staff, printed; SafeSocial cannot tell whose device it is"),
    "channels.follow_commercial_pages": Acts(
        f"{_CHANNELS}::test_policy_001_refuses_following_a_commercial_page",
        f"{_CHANNELS}::test_policy_000_allows_following_a_commercial_page",
    ),
    "channels.setup_considerations": Acts(
        f"{_OWN_CHANNELS}::test_the_proposal_asks_what_the_policy_asks_and_keeps_the_answers_with_the_channel",
        f"{_OWN_CHANNELS}::test_a_policy_without_considerations_asks_nothing_more",
    ),
    "channels.official.name": Acts(*_OFFICIAL),
    "channels.official.platform": Acts(*_OFFICIAL),
    "channels.official.school": Acts(*_OFFICIAL),
    "channels.official.url": Acts(
        f"{_OWN_CHANNELS}::test_a_registered_channel_with_the_policys_web_address_matches_whatever_its_name"
    ),
    "channels.acceptable_use": Acts(f"{_CHANNELS}::test_posters_must_sign_the_acceptable_use_agreement_first"),
    # posts
    "posts.reviewers": Acts(
        f"{_DIFF}::test_policy_003_only_the_administration_team_reviews_posts",
        f"{_DIFF}::test_policy_004_any_colleague_reviews_posts",
    ),
    "posts.reviewer_roles": Acts(f"{_DIFF}::test_policy_003_only_the_administration_team_reviews_posts"),
    "posts.reviewers_required": Acts(
        "safesocial/publishing/tests/test_workflow.py::test_a_policy_asking_for_two_reviewers_waits_for_the_second"
    ),
    "posts.categories.key": Acts(
        "safesocial/publishing/tests/test_workflow.py::test_a_category_outside_the_policy_is_refused"
    ),
    "posts.categories.label": TEXT_ONLY("the category's name as people read it"),
    "posts.criteria": Acts(*_CRITERIA),
    "posts.consent_required_for": TEXT_ONLY(
        "printed; SafeSocial checks names and photos in every post whatever it says"
    ),
    "posts.suggestions_to": Acts(
        "safesocial/publishing/tests/test_suggestions.py"
        "::test_policy_001_sends_a_suggestion_to_the_head_who_agrees_and_a_poster_makes_it_a_draft"
    ),
    # personal use
    "personal_use.staff_in_school_hours": Acts(
        f"{_TRAINING}::test_the_quiz_asks_what_this_trusts_policy_says",
        f"{_TRAINING}::test_another_trusts_quiz_has_its_own_answers",
    ),
    "personal_use.staff_rules": TEXT_ONLY("rules for staff, printed where staff acknowledge the policy"),
    "personal_use.pupils_in_school_hours": TEXT_ONLY("a rule for pupils, printed"),
    "personal_use.pupil_rules": TEXT_ONLY("rules for pupils, printed"),
    "personal_use.minimum_account_age": TEXT_ONLY("the platforms' age limit the policy repeats, printed"),
    "personal_use.staff_may_befriend_former_pupils_over": TEXT_ONLY("a rule for staff, printed"),
    "personal_use.own_content_conflict_to": TEXT_ONLY(
        "whom staff tell about their own conflicting content, printed in the document and in the guidance on "
        "reporting a member of staff's conduct"
    ),
    # moderation
    "moderation.categories.action": Acts(
        "safesocial/moderation/tests/test_moderate_command.py::test_a_policy_file_sets_the_actions_and_thresholds",
        f"{_HARD}::test_a_trust_that_removes_adverts_and_donations_says_so_and_one_that_reviews_them_does_not",
        f"{_HARD}::test_a_trust_with_no_comment_rules_promises_no_removals_or_blocking",
    ),
    "moderation.complaint_reply": Acts(f"{_HARD}::test_the_reply_offered_for_a_complaint_is_the_policys_own"),
    "moderation.categories.threshold": Acts(
        "safesocial/moderation/tests/test_moderate_command.py::test_a_policy_file_sets_the_actions_and_thresholds"
    ),
    "moderation.repeat_offender_threshold": Acts(
        f"{_OFFENDERS}::test_a_block_is_proposed_at_the_policys_number_of_removed_comments",
        "safesocial/moderation/tests/test_inbox.py::test_a_third_strike_proposes_a_block_and_the_first_step_for_a_parent",
    ),
    "moderation.repeat_offender_window_days": Acts(
        f"{_OFFENDERS}::test_removed_comments_older_than_the_policys_window_do_not_count"
    ),
    "moderation.remove_within_hours": Acts(
        f"{_LATE}::test_a_comment_waiting_longer_than_the_policys_hours_is_late_and_chased",
        f"{_LATE}::test_the_same_comment_is_not_late_under_a_longer_limit_or_none",
    ),
    # parents
    "parents.expectations": TEXT_ONLY("printed on the public page for families"),
    "parents.should_not": TEXT_ONLY("printed on the public page for families"),
    "parents.escalation.key": Acts(f"{_ESCALATION}::test_steps_follow_the_policy_and_the_next_one_is_suggested"),
    "parents.escalation.title": Acts(f"{_ESCALATION}::test_steps_follow_the_policy_and_the_next_one_is_suggested"),
    "parents.escalation.description": TEXT_ONLY("explains a step, printed"),
    "parents.escalation_managed_by": Acts(
        f"{_CHANGED}::test_only_the_roles_the_policy_names_start_an_escalation",
        f"{_ESCALATION}::test_teacher_cannot_start_an_escalation",
    ),
    "parents.esafety_meetings.date": Acts(
        f"{_NEW}::test_upcoming_esafety_meetings_are_on_the_public_page_and_past_ones_are_not"
    ),
    "parents.esafety_meetings.school": Acts(
        f"{_NEW}::test_upcoming_esafety_meetings_are_on_the_public_page_and_past_ones_are_not"
    ),
    "parents.esafety_meetings.title": TEXT_ONLY("the meeting's name, printed on the public school page"),
    "parents.without_social_media": TEXT_ONLY("a statement printed on the public school page"),
    "parents.family_guidance": Acts(
        f"{_HARD}::test_the_public_page_gives_the_policys_family_guidance_or_a_neutral_default"
    ),
    "parents.warning_letter": Acts(f"{_ESCALATION}::test_letter_is_made_from_the_trusts_template_and_names_no_pupil"),
    "parents.warning_letter_signatory.name": Acts(_SIGNATORY),
    "parents.warning_letter_signatory.job_title": Acts(_SIGNATORY),
    # concerns
    "concerns.report_to": Acts(
        f"{_DIFF}::test_policy_002_sends_concerns_to_the_esafety_team_as_well",
        f"{_DIFF}::test_policy_000_does_not_send_concerns_to_the_esafety_team",
    ),
    "concerns.trust_lead": Acts(f"{_DIFF}::test_policy_004_lets_the_executive_head_see_every_schools_concerns"),
    "concerns.about_staff_to": Acts(
        f"{_CONCERNS}::test_a_concern_about_a_colleague_goes_to_the_head_and_never_to_them"
    ),
    "concerns.about_head_to": Acts(
        f"{_CONCERNS}::test_a_concern_about_the_head_goes_to_the_ceo_and_not_to_the_head_even_though_she_is_the_dsl",
        f"{_HARD}::test_a_concern_about_a_head_goes_exactly_where_the_policy_says",
        f"{_HARD}::test_the_staff_conduct_guidance_names_the_policys_roles",
    ),
    "concerns.content_reports_to": Acts(
        f"{_HARD}::test_content_reports_reach_the_roles_the_policy_names_and_nothing_else_does"
    ),
    "concerns.friendship_reconfirm_days": Acts(
        f"{_HARD}::test_friendship_declarations_are_confirmed_again_as_often_as_the_policy_says"
    ),
    "concerns.about_leader_to": Acts(
        f"{_CONCERNS}::test_a_concern_about_the_ceo_goes_to_the_chair_of_trustees_and_never_to_the_ceo"
    ),
    "concerns.external_advice": TEXT_ONLY("where the DSL seeks advice, shown on each concern"),
    "concerns.friendship_disclosure": Acts(
        f"{_REGISTERS}::test_a_policy_without_friendship_disclosure_has_no_register",
        f"{_REGISTERS}::test_teacher_declares_a_friendship_and_the_head_decides_it",
    ),
    "concerns.friendship_discussed_with": Acts(f"{_REGISTERS}::test_a_decision_needs_advice"),
    "concerns.friendship_decided_by": Acts(
        f"{_CHANGED}::test_the_role_the_policy_names_decides_a_friendship_declaration",
        f"{_REGISTERS}::test_teacher_declares_a_friendship_and_the_head_decides_it",
    ),
    "concerns.guidance": Acts(
        "safesocial/concerns/tests/test_types.py::test_guidance_falls_back_to_the_broader_kind_the_policy_names"
    ),
    "concerns.retention_years": Acts(
        "safesocial/concerns/tests/test_retention.py::test_without_a_policy_period_a_pupils_record_is_kept_until_the_child_is_25",
        f"{_HARD}::test_a_concern_is_kept_for_the_policys_retention_period",
    ),
    "concerns.pattern_threshold": Acts(
        f"{_CHANGED}::test_the_policys_pattern_threshold_decides_how_many_concerns_raise_an_alert",
        f"{_CONCERNS}::test_the_same_parent_account_across_two_schools_raises_one_alert_and_shows_on_the_patterns_page",
    ),
    "concerns.pattern_window_days": Acts(
        f"{_CHANGED}::test_concerns_older_than_the_policys_pattern_window_do_not_count"
    ),
    "concerns.triage_levels.key": Acts(f"{_TRIAGE}::test_the_trusts_own_scale_is_used_when_its_policy_names_one"),
    "concerns.triage_levels.label": Acts(f"{_TRIAGE}::test_the_trusts_own_scale_is_used_when_its_policy_names_one"),
    "concerns.triage_levels.means": Acts(f"{_TRIAGE}::test_the_trusts_own_scale_is_used_when_its_policy_names_one"),
    "concerns.chase_unacknowledged_minutes": Acts(
        f"{_CHANGED}::test_an_urgent_concern_is_chased_after_the_policys_minutes_not_before",
        f"{_TRIAGE}::test_an_unacknowledged_immediate_concern_is_chased_once_after_the_policys_minutes",
    ),
    # registers
    "registers.unblock_decided_by": Acts(
        f"{_CHANGED}::test_the_role_the_policy_names_decides_an_unblock_request",
        f"{_REGISTERS}::test_it_support_approves_an_unblock_request_and_the_requester_sees_the_outcome",
    ),
    "registers.unblock_referred_to": Acts(
        f"{_CHANGED}::test_a_referred_unblock_request_goes_to_the_role_the_policy_names",
        f"{_REGISTERS}::test_a_referred_request_is_decided_by_senior_leaders_not_it",
    ),
    "registers.remote_learning_approver": Acts(
        f"{_REGISTERS}::test_the_head_approves_a_remote_learning_assessment_but_not_their_own",
        f"{_ROLES}::test_003s_remote_learning_waits_for_the_ceo_and_the_head",
        f"{_ROLES}::test_000s_remote_learning_is_approved_by_the_dsl_or_the_head",
    ),
    "registers.ai_tools_approver": Acts(f"{_REGISTERS}::test_the_approver_is_the_role_the_policy_names"),
    # training
    "training.induction": Acts(
        f"{_CHANGED}::test_a_refresher_alone_is_enough_only_where_the_policy_asks_for_no_induction",
        f"{_TRAINING}::test_a_refresher_without_an_induction_is_not_enough",
    ),
    "training.refresher_months": Acts(f"{_CHANGED}::test_training_stays_current_for_the_policys_months"),
    "training.topics": TEXT_ONLY("the topics a training record may be about, listed"),
    "training.quiz_pass_mark": Acts(f"{_CHANGED}::test_the_same_answers_pass_or_fail_by_the_policys_pass_mark"),
    "training.quiz.question": Acts(f"{_TRAINING}::test_the_trusts_own_questions_are_asked_too"),
    "training.quiz.options": Acts(f"{_TRAINING}::test_the_trusts_own_questions_are_asked_too"),
    "training.quiz.answer": Acts(f"{_TRAINING}::test_the_trusts_own_questions_are_asked_too"),
    "training.quiz.explanation": Acts(f"{_TRAINING}::test_the_trusts_own_questions_are_asked_too"),
    "training.required_for_channel_access": Acts(
        f"{_TRAINING}::test_what_stops_channel_access_is_untrained_staff_and_an_unsigned_agreement",
        f"{_TRAINING}::test_nothing_stops_channel_access_where_the_policy_does_not_ask",
    ),
    # acknowledgement
    "acknowledgement.groups": Acts(
        "safesocial/compliance/tests/test_acknowledgement.py::test_families_are_not_asked_when_the_policy_leaves_them_out"
    ),
    "acknowledgement.pupil_summary_title": TEXT_ONLY("printed on the pupils' page"),
    "acknowledgement.pupil_summary": TEXT_ONLY("printed on the pupils' page"),
    "acknowledgement.reminder_days": Acts(
        f"{_CHANGED}::test_staff_are_reminded_to_acknowledge_again_after_the_policys_days"
    ),
    # consent
    "consent.face_matching": Acts(
        "safesocial/publishing/tests/test_consent_checks.py::test_no_suggestions_when_the_trust_has_face_matching_off",
        "safesocial/publishing/tests/test_consent_checks.py"
        "::test_faces_are_matched_only_to_pupils_with_biometric_consent",
    ),
    "consent.expire_at_end_of_school_year": Acts(
        f"{_CHANGED}::test_a_consent_lapses_at_the_end_of_the_school_year_only_where_the_policy_says"
    ),
    "consent.renewal_reminder_days": Acts(
        "safesocial/consent/tests/test_renewal_reminders.py"
        "::test_a_consent_lapsing_within_the_policys_days_is_reminded_and_one_further_off_is_not"
    ),
    "consent.withdrawal_decision_working_days": Acts(
        "safesocial/publishing/tests/test_take_down.py"
        "::test_withdrawing_social_media_consent_puts_a_post_naming_the_child_up_for_decision"
    ),
    # direct messages
    "direct_messages.reply": Acts(
        "safesocial/direct_messages/tests/test_policy_reply.py::test_a_trusts_own_reply_is_the_only_thing_the_account_sends"
    ),
    # sections
    "sections.heading": TEXT_ONLY("the policy's own prose, printed in the document"),
    "sections.body": TEXT_ONLY("the policy's own prose, printed in the document"),
    # related policies, complaints, whistleblowing
    "related_policies.title": TEXT_ONLY("printed in the document (the staff policy page and the published one)"),
    "related_policies.url": TEXT_ONLY("a link printed in the document"),
    "complaints.url": Acts(
        f"{_NEW}::test_the_reply_suggested_to_a_complaint_points_to_the_trusts_complaints_procedure"
    ),
    "complaints.contact": Acts(f"{_NEW}::test_the_public_school_page_links_the_complaints_procedure_the_policy_names"),
    "whistleblowing.url": Acts(f"{_NEW}::test_staff_reporting_a_colleague_are_shown_the_whistleblowing_procedure"),
    "whistleblowing.contact": Acts(f"{_NEW}::test_staff_reporting_a_colleague_are_shown_the_whistleblowing_procedure"),
}


# Every sentence explain.py writes (and so `safesocial policy show` prints), matched from its start by one pattern.
# A sentence that names something SafeSocial does is tied to the tests of that behaviour; one that only says what the
# policy asks of people is TEXT_ONLY and must not claim that SafeSocial does anything. A new sentence needs an entry.
_PUBLISHING = "safesocial/publishing/tests"
SENTENCES: dict[str, tuple[str, Acts | TextOnly]] = {
    "trust.schools": (r".+ runs \d+ school\(s\): ", TEXT_ONLY("names the schools")),
    "document.version": (r"This is version ", TEXT_ONLY("names the document and who approved it")),
    "roles": (
        r"Besides SafeSocial's roles, the trust names its own, which staff can be given: ",
        Acts(
            f"{_ROLES}::test_staff_can_be_given_only_roles_safesocial_or_the_policy_knows",
            f"{_ROLES}::test_the_add_staff_form_offers_and_accepts_the_trusts_own_roles",
            f"{_ROLES}::test_004s_executive_headteacher_has_the_ceos_powers_under_her_own_title",
        ),
    ),
    "related_policies": (
        r"The staff policy page and the published document list the policies this one links with: ",
        Acts(
            f"{_NEW}::test_related_policies_are_listed_with_their_links_on_the_staff_policy_page",
            f"{_NEW}::test_related_policies_are_listed_in_the_published_document",
        ),
    ),
    "channels.sign_off": (
        r"A new official channel needs a risk assessment and sign-off by ",
        Acts(
            f"{_OWN_CHANNELS}::test_nobody_posts_to_a_channel_until_it_is_signed_off_and_live",
            f"{_CHANNELS}::test_a_channel_without_a_risk_assessment_cannot_be_signed_off",
            f"{_CHANNELS}::test_the_ceo_cannot_sign_off_a_school_channel_under_policy_000",
            f"{_CHANNELS}::test_under_policy_003_the_ceo_alone_approves_a_channel",
            f"{_CHANNELS}::test_a_policy_naming_co_approvers_waits_for_each_of_them",
            f"{_CHANNELS}::test_a_live_channel_needs_its_id_and_token_before_going_live",
        ),
    ),
    "channels.posters": (
        r"Only staff authorised by ",
        Acts(
            f"{_CHANNELS}::test_only_the_authoriser_the_policy_names_grants_access",
            f"{_CHANNELS}::test_posters_must_sign_the_acceptable_use_agreement_first",
        ),
    ),
    "channels.break_glass": (
        r"In an emergency ",
        Acts(f"{_CHANNELS}::test_break_glass_needs_a_reason_tells_the_owner_and_is_audited"),
    ),
    "channels.review": (
        r"Each channel is reviewed every \d+ months\.",
        Acts(
            f"{_CHANNELS}::test_under_policy_000_the_head_signs_off_and_the_review_date_follows_the_policy",
            f"{_CHANNELS}::test_a_review_sets_the_next_date_and_due_reviews_reach_the_approvers_dashboard",
        ),
    ),
    "channels.school_devices_only": (
        r"The policy asks staff to manage channels only from school-owned devices; SafeSocial cannot check",
        TEXT_ONLY("a rule for staff, with what SafeSocial cannot do"),
    ),
    "channels.follow_commercial_pages": (
        r"Official channels only like or follow non-commercial pages\.",
        Acts(
            f"{_CHANNELS}::test_policy_001_refuses_following_a_commercial_page",
            f"{_CHANNELS}::test_policy_000_allows_following_a_commercial_page",
        ),
    ),
    "channels.official": (r"The official channels are: ", TEXT_ONLY("lists the channels the policy names")),
    "channels.official_register": (
        r"The channel register warns about an official channel nobody has registered",
        Acts(*_OFFICIAL),
    ),
    "channels.setup_considerations": (
        r"Whoever proposes a channel answers what the policy asks them to consider",
        Acts(
            f"{_OWN_CHANNELS}::test_the_proposal_asks_what_the_policy_asks_and_keeps_the_answers_with_the_channel",
            f"{_OWN_CHANNELS}::test_every_consideration_must_be_answered",
        ),
    ),
    "posts.review": (
        r"Every post is read and agreed by ",
        Acts(
            f"{_DIFF}::test_policy_003_only_the_administration_team_reviews_posts",
            f"{_DIFF}::test_policy_004_any_colleague_reviews_posts",
            f"{_PUBLISHING}/test_workflow.py::test_eligible_reviewers_never_include_the_author",
            f"{_PUBLISHING}/test_workflow.py::test_a_policy_asking_for_two_reviewers_waits_for_the_second",
        ),
    ),
    "posts.categories": (
        r"A post must fall in one of these categories: ",
        Acts(
            f"{_PUBLISHING}/test_workflow.py::test_a_category_outside_the_policy_is_refused",
            f"{_PUBLISHING}/test_what_authors_see.py::test_the_category_starts_empty_and_must_be_chosen",
        ),
    ),
    "posts.consent": (
        r"SafeSocial checks parental consent for every pupil named or pictured in a post before it can be approved",
        Acts(
            f"{_PUBLISHING}/test_consent_checks.py::test_a_post_naming_a_pupil_in_full_is_blocked_with_the_reason",
            f"{_PUBLISHING}/test_consent_checks.py"
            "::test_a_pupil_without_photo_consent_blocks_review_until_their_face_is_blurred",
        ),
    ),
    "posts.suggestions": (
        r"Staff who cannot post suggest a post to ",
        Acts(
            f"{_PUBLISHING}/test_suggestions.py"
            "::test_policy_001_sends_a_suggestion_to_the_head_who_agrees_and_a_poster_makes_it_a_draft",
            f"{_PUBLISHING}/test_suggestions.py"
            "::test_a_poster_turns_it_into_a_draft_of_their_own_and_the_colleague_is_credited",
        ),
    ),
    "posts.criteria": (
        r"A reviewer confirms this criterion before approving a post: ",
        Acts(*_CRITERIA),
    ),
    "personal_use.staff": (r"Staff may (not )?use social media for themselves ", TEXT_ONLY("a rule for staff")),
    "personal_use.pupils": (r"Pupils may (not )?use social media ", TEXT_ONLY("a rule for pupils")),
    "personal_use.minimum_account_age": (
        r"The policy accepts a pupil having a social media account only from the age of \d+; SafeSocial does not",
        TEXT_ONLY("the policy's age limit, with what SafeSocial does not do"),
    ),
    "personal_use.befriending": (r"Staff may not be friends with ", TEXT_ONLY("a rule for staff")),
    "moderation.category": (
        r"A comment judged \w+ \(score \d+% or more\) is ",
        Acts(
            "safesocial/moderation/tests/test_moderate_command.py::test_a_policy_file_sets_the_actions_and_thresholds",
            "safesocial/moderation/tests/test_inbox.py::test_a_disclosure_reaches_the_dsl_kept_and_hidden",
            "safesocial/moderation/tests/test_inbox.py::test_a_complaint_is_queued_with_a_polite_reply_suggested",
        ),
    ),
    "moderation.repeat_offenders": (
        r"Someone with \d+ comments removed within \d+ days is proposed for blocking\.",
        Acts(
            "safesocial/moderation/tests/test_inbox.py::test_a_third_strike_proposes_a_block_and_the_first_step_for_a_parent"
        ),
    ),
    "moderation.remove_within_hours": (
        r"A comment still waiting for a moderator after \d+ hours is marked late",
        Acts(
            f"{_LATE}::test_a_comment_waiting_longer_than_the_policys_hours_is_late_and_chased",
            f"{_LATE}::test_a_late_comment_stops_being_chased_once_a_moderator_deals_with_it",
        ),
    ),
    "moderation.complaint_reply": (
        r"A moderator dealing with a complaint left as a comment is offered this reply: ",
        Acts(
            f"{_HARD}::test_the_reply_offered_for_a_complaint_is_the_policys_own",
            f"{_NEW}::test_the_reply_suggested_to_a_complaint_points_to_the_trusts_complaints_procedure",
        ),
    ),
    "parents.family_guidance": (
        r"Each school's public page tells families whom to talk to about a worry: ",
        Acts(f"{_HARD}::test_the_public_page_gives_the_policys_family_guidance_or_a_neutral_default"),
    ),
    "complaints": (
        r"Each school's public page and the reply offered to a complaint point families to the complaints procedure: ",
        Acts(
            f"{_NEW}::test_the_public_school_page_links_the_complaints_procedure_the_policy_names",
            f"{_NEW}::test_the_reply_suggested_to_a_complaint_points_to_the_trusts_complaints_procedure",
        ),
    ),
    "parents.esafety_meetings": (
        r"Online safety meetings for parents and carers are shown on the public school page until they have passed: ",
        Acts(
            f"{_NEW}::test_upcoming_esafety_meetings_are_on_the_public_page_and_past_ones_are_not",
            f"{_NEW}::test_without_meetings_the_public_page_has_no_meetings_section",
        ),
    ),
    "parents.escalation": (
        r"Step \d+: ",
        Acts(f"{_ESCALATION}::test_steps_follow_the_policy_and_the_next_one_is_suggested"),
    ),
    "parents.no_escalation": (
        r"The policy sets no escalation steps: each case is decided by ",
        Acts(f"{_ESCALATION}::test_teacher_cannot_start_an_escalation"),
    ),
    "concerns.routing": (
        r"A concern at a school goes to ",
        Acts(
            f"{_DIFF}::test_policy_002_sends_concerns_to_the_esafety_team_as_well",
            f"{_DIFF}::test_policy_000_does_not_send_concerns_to_the_esafety_team",
            f"{_DIFF}::test_policy_004_lets_the_executive_head_see_every_schools_concerns",
        ),
    ),
    "concerns.about_staff": (
        r"A concern about a member of staff goes to ",
        Acts(
            f"{_CONCERNS}::test_a_concern_about_a_colleague_goes_to_the_head_and_never_to_them",
            f"{_CONCERNS}::test_a_concern_about_the_head_goes_to_the_ceo_and_not_to_the_head_even_though_she_is_the_dsl",
        ),
    ),
    "concerns.external_advice": (r"When unsure, the DSL seeks advice from ", TEXT_ONLY("whom the DSL asks")),
    "concerns.triage": (
        r"Each concern gets a level: ",
        Acts(
            f"{_TRIAGE}::test_the_trusts_own_scale_is_used_when_its_policy_names_one",
            f"{_TRIAGE}::test_immediate_risk_emails_every_receiver_that_it_is_urgent_and_nothing_else",
            f"{_TRIAGE}::test_an_unacknowledged_immediate_concern_is_chased_once_after_the_policys_minutes",
        ),
    ),
    "concerns.friendships": (
        r"Staff declare pre-existing friendships with families in the friendships register\.",
        Acts(
            f"{_REGISTERS}::test_teacher_declares_a_friendship_and_the_head_decides_it",
            f"{_REGISTERS}::test_a_policy_without_friendship_disclosure_has_no_register",
        ),
    ),
    "whistleblowing": (
        r"Staff reporting a concern about a colleague are shown the whistleblowing procedure: ",
        Acts(f"{_NEW}::test_staff_reporting_a_colleague_are_shown_the_whistleblowing_procedure"),
    ),
    "registers.unblock": (
        r"An unblock request is decided by .+; one referred up, by ",
        Acts(
            f"{_REGISTERS}::test_it_support_approves_an_unblock_request_and_the_requester_sees_the_outcome",
            f"{_REGISTERS}::test_a_referred_request_is_decided_by_senior_leaders_not_it",
        ),
    ),
    "registers.approvals": (
        r"A remote learning platform is approved by .+; an AI tool, by ",
        Acts(
            f"{_REGISTERS}::test_the_head_approves_a_remote_learning_assessment_but_not_their_own",
            f"{_REGISTERS}::test_the_approver_is_the_role_the_policy_names",
            f"{_ROLES}::test_003s_remote_learning_waits_for_the_ceo_and_the_head",
            f"{_ROLES}::test_000s_remote_learning_is_approved_by_the_dsl_or_the_head",
        ),
    ),
    "training.refresher": (
        r"Staff are trained ",
        Acts(
            f"{_TRAINING}::test_who_is_overdue_no_induction_or_an_old_refresher",
            f"{_TRAINING}::test_a_refresher_without_an_induction_is_not_enough",
        ),
    ),
    "training.quiz_pass_mark": (
        r"The policy quiz is passed at \d+%\.",
        Acts(f"{_TRAINING}::test_the_pass_mark_is_the_one_the_policy_sets"),
    ),
    "acknowledgement.groups": (
        r"These groups acknowledge each new version: ",
        Acts(
            "safesocial/compliance/tests/test_acknowledgement.py"
            "::test_families_are_not_asked_when_the_policy_leaves_them_out"
        ),
    ),
    "review.cadence": (
        r"The policy is reviewed every \d+ months; the next review is due on ",
        Acts(
            f"{_REVIEW}::test_reminders_go_once_on_each_of_the_policys_days",
            f"{_DIFF}::test_policy_001_is_reviewed_every_two_years_by_the_trustees",
        ),
    ),
    "review.people": (
        r".+ (is|are) reminded; .+ approves? the new version",
        Acts(
            f"{_REVIEW}::test_reminders_go_once_on_each_of_the_policys_days",
            f"{_REVIEW}::test_a_review_approved_by_someone_the_policy_does_not_name_is_refused",
            f"{_REVIEW}::test_the_governing_body_notes_the_approved_review",
            f"{_ROLES}::test_the_review_under_all_of_is_adopted_only_when_both_have_signed",
        ),
    ),
    "review.also_after": (r"It is also reviewed after ", TEXT_ONLY("when the policy says it is reviewed early")),
    "review.early.after_debrief": (
        r"A concern closed with a debrief saying the policy should change brings the review forward\.",
        Acts(
            f"{_NEW}::test_a_debrief_saying_the_policy_should_change_brings_the_review_forward_when_the_policy_says_so"
        ),
    ),
    "review.early.guidance": (
        r"New guidance brings the review forward from the day it is published: ",
        Acts(f"{_NEW}::test_new_guidance_named_in_the_policy_brings_the_review_forward_on_its_date"),
    ),
}
