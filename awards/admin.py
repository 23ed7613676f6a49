from django.contrib import admin

from awards.models import AwardType, BlocYearRuleSet, LegalBasis, RatingBand, RuleSet, RuleValue, new_version
from core.admin import AuditedModelAdmin, AuditedTabularInline


@admin.register(LegalBasis)
class LegalBasisAdmin(AuditedModelAdmin):
    """A new decree is a new row here (then a template rule set under it)."""

    list_display = ["name", "law", "valid_from", "valid_to"]


class RuleValueInline(AuditedTabularInline):
    model = RuleValue
    extra = 0


class RatingBandInline(AuditedTabularInline):
    model = RatingBand
    extra = 0


class AwardTypeInline(AuditedTabularInline):
    model = AwardType
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(AuditedModelAdmin):
    list_display = ["name", "province", "legal_basis", "valid_from", "valid_to"]
    list_filter = ["legal_basis", "province"]
    list_select_related = ["province", "legal_basis"]
    inlines = [RuleValueInline, RatingBandInline, AwardTypeInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A new version token: pages and ``rules_for``'s cache see the change.
        RuleSet.objects.filter(pk=form.instance.pk).update(version=new_version())


@admin.register(BlocYearRuleSet)
class BlocYearRuleSetAdmin(AuditedModelAdmin):
    list_display = ["bloc_year", "rule_set", "chosen_by", "chosen_at"]
    list_select_related = ["bloc_year__bloc", "rule_set", "chosen_by"]


# --- Year-end scoring (helper "sheets"): locked once submitted, or when the round is not open. ---
from awards.models import CheckerAssignment, Evidence, ScoreLine, ScoreSheet, ScoringRound  # noqa: E402


@admin.register(ScoringRound)
class ScoringRoundAdmin(AuditedModelAdmin):
    list_display = ["bloc_year", "state", "check_mode", "self_score_deadline", "rule_set"]
    list_filter = ["state", "check_mode"]
    list_select_related = ["bloc_year__bloc", "rule_set"]
    readonly_fields = ["bloc_year", "pledge_version", "rule_set", "opened_by", "opened_at", "published_at", "frozen_at", "frozen_by", "version"]

    def is_locked(self, obj):
        return obj.state != "open"


@admin.register(CheckerAssignment)
class CheckerAssignmentAdmin(AuditedModelAdmin):
    list_display = ["round", "checker_agency", "checked_agency"]
    list_select_related = ["round__bloc_year__bloc", "checker_agency", "checked_agency"]

    def is_locked(self, obj):
        return obj.round.state != "open"


class ScoreLineInline(AuditedTabularInline):
    model = ScoreLine
    extra = 0
    fields = ["kind", "criterion", "position", "result_text", "figure", "reason", "claimed_points", "check_state", "checked_points", "check_note", "answer"]
    raw_id_fields = ["criterion"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(AuditedModelAdmin):
    list_display = ["agency", "round", "state", "sent_at", "submitted_at", "partial_year"]
    list_filter = ["state", "partial_year"]
    list_select_related = ["agency", "round__bloc_year__bloc"]
    readonly_fields = ["round", "agency", "sent_at", "submitted_at", "submitted_by", "version"]
    inlines = [ScoreLineInline]

    def is_locked(self, obj):
        return obj.state == "submitted" or obj.round.state != "open"


@admin.register(Evidence)
class EvidenceAdmin(AuditedModelAdmin):
    """Read-only metadata (the file is served by ``awards:evidence_download`` only)."""

    list_display = ["original_name", "sheet", "line", "size", "sha256", "uploaded_by", "uploaded_at"]
    list_select_related = ["sheet__agency", "line", "uploaded_by"]
    exclude = ["file"]
    readonly_fields = ["sheet", "line", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False

    def is_locked(self, obj):
        return obj.sheet.state == "submitted" or obj.sheet.round.state != "open"


from awards.models import Objection, RankingEntry, RankingRecord  # noqa: E402
from core.admin import ReadOnlyModelAdmin  # noqa: E402


@admin.register(Objection)
class ObjectionAdmin(AuditedModelAdmin):
    """Members' objections to the published draft (answered on the score table page)."""

    list_display = ["round", "agency", "author", "created_at", "answered_at"]
    list_select_related = ["round__bloc_year__bloc", "agency", "author"]
    readonly_fields = ["round", "agency", "author", "text", "created_at", "answered_by", "answered_at"]

    def has_add_permission(self, request):
        return False

    def is_locked(self, obj):
        return obj.round.state != "published"


@admin.register(RankingEntry)
class RankingEntryAdmin(ReadOnlyModelAdmin):
    """Written by the publication only, deleted by a reopen (values kept in the audit log)."""

    list_display = ["round", "rank", "agency", "total", "band", "tied", "partial_year"]
    list_select_related = ["round__bloc_year__bloc", "agency"]


@admin.register(RankingRecord)
class RankingRecordAdmin(ReadOnlyModelAdmin):
    """A frozen ranking as printed (the score-table PDF's source)."""

    list_display = ["round", "number", "frozen_at", "frozen_by", "content_hash"]
    list_select_related = ["round__bloc_year__bloc", "frozen_by"]


from awards.models import (  # noqa: E402
    AchievementReport,
    AwardCondition,
    AwardRecord,
    Ballot,
    BallotCandidate,
    BallotQuestion,
    BallotVoter,
    Decision,
    Dossier,
    Nomination,
    NominationCorrection,
    PaperCount,
    PendingCase,
)

# --- Issue 11: conditions, cases, nominations, ballots, dossiers, decisions, award history ---------
# What the workflows write (nominations, ballots, dossiers, decisions, history) is read-only here:
# a decided nomination changes only through its correction, with a reason. Ballot tallies and paper
# counts stay hidden until the ballot closes, for superusers too.


@admin.register(AwardCondition)
class AwardConditionAdmin(AuditedModelAdmin):
    list_display = ["award_type", "kind", "value", "severity", "text"]
    list_select_related = ["award_type__rule_set"]
    list_filter = ["kind", "severity"]


@admin.register(PendingCase)
class PendingCaseAdmin(AuditedModelAdmin):
    list_display = ["agency", "kind", "opened_on", "closed_on"]
    list_select_related = ["agency"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyModelAdmin):
    list_display = ["bloc_year", "award_type", "agency", "state"]
    list_select_related = ["bloc_year__bloc", "award_type", "agency"]
    list_filter = ["state"]


@admin.register(NominationCorrection)
class NominationCorrectionAdmin(ReadOnlyModelAdmin):
    list_display = ["nomination", "field", "corrected_by", "corrected_at"]
    list_select_related = ["nomination__award_type", "nomination__agency", "nomination__bloc_year", "corrected_by"]


class SecretUntilClosed(ReadOnlyModelAdmin):
    """Hides ``secret_fields`` while the ballot (reached by ``ballot_path``) is not closed."""

    secret_fields: tuple = ()
    ballot_path = ""

    def _ballot(self, obj):
        for part in self.ballot_path.split("."):
            obj = getattr(obj, part)
        return obj

    def get_exclude(self, request, obj=None):
        if obj is None or not self._ballot(obj).is_closed:
            return [*(super().get_exclude(request, obj) or []), *self.secret_fields]
        return super().get_exclude(request, obj)

    def get_fields(self, request, obj=None):
        hidden = set(self.get_exclude(request, obj) or [])
        return [f for f in super().get_fields(request, obj) if f not in hidden]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "bloc_year", "mode", "state", "round"]
    list_select_related = ["bloc_year__bloc"]


@admin.register(BallotQuestion)
class BallotQuestionAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "ballot", "round", "kind", "resolved"]
    list_select_related = ["ballot"]


@admin.register(BallotCandidate)
class BallotCandidateAdmin(SecretUntilClosed):
    list_display = ["agency", "question"]
    list_select_related = ["agency", "question"]
    secret_fields = ("yes", "no", "passed")
    ballot_path = "question.ballot"


@admin.register(BallotVoter)
class BallotVoterAdmin(ReadOnlyModelAdmin):
    list_display = ["ballot", "round", "agency", "cast_by"]
    list_select_related = ["ballot", "agency", "cast_by"]


@admin.register(PaperCount)
class PaperCountAdmin(SecretUntilClosed):
    list_display = ["ballot", "round", "entry", "entered_by"]
    list_select_related = ["ballot", "entered_by"]
    secret_fields = ("counts",)
    ballot_path = "ballot"


@admin.register(Dossier)
class DossierAdmin(ReadOnlyModelAdmin):
    list_display = ["bloc_year", "state", "deadline", "submitted_at"]
    list_select_related = ["bloc_year__bloc"]


@admin.register(AchievementReport)
class AchievementReportAdmin(ReadOnlyModelAdmin):
    list_display = ["nomination", "original_name", "size", "uploaded_at"]
    list_select_related = ["nomination__award_type", "nomination__agency", "nomination__bloc_year"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyModelAdmin):
    list_display = ["number", "date", "signer_title", "level", "province"]
    list_select_related = ["province"]


@admin.register(AwardRecord)
class AwardRecordAdmin(ReadOnlyModelAdmin):
    list_display = ["agency", "year", "award_name", "level"]
    list_select_related = ["agency"]
