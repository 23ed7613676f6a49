"""What the nominations add to other pages (registered at start-up by ``AwardsConfig.ready``)."""

from core.access import can
from core.slots import slot


@slot("blocyear_detail", order=30)
def _nominations_line(request, bloc_year):
    """ "Đề nghị khen thưởng: N đề nghị" on the bloc-year page, for whoever reads its nominations."""
    from awards.models import Nomination

    if not can(request.user, "awards.view_nominations", bloc_year):
        return None
    return {"template": "awards/nominations/blocyear_slot.html", "nomination_count": Nomination.objects.filter(bloc_year=bloc_year).count()}
