"""factory_boy factories of diagnostics and the catalog. The framework itself (groups,
competencies, instruments, the questionnaire) comes from the data migrations."""

import datetime as dt

import factory
from django.utils import timezone

from diagnostics.models import Assessment, Competency, Deficit, Instrument, Score
from routes.models import ActivityKind, CatalogResource
from tests.factories import StaffFactory


def competency(code: str) -> Competency:
    return Competency.objects.get(code=code)


def instrument(name: str = "Наблюдение урока заместителем директора") -> Instrument:
    return Instrument.objects.get(name=name)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    person = factory.SubFactory(StaffFactory)
    instrument = factory.LazyFunction(instrument)
    taken_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    source = Assessment.Source.DEPUTY


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    assessment = factory.SubFactory(AssessmentFactory)
    competency = factory.LazyFunction(lambda: competency("М1"))
    value = 50


class DeficitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deficit

    person = factory.SubFactory(StaffFactory)
    competency = factory.LazyFunction(lambda: competency("М4"))
    detected_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    reason = "по итогам посещения урока"


class CatalogResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogResource
        skip_postgeneration_save = True

    kind = CatalogResource.Kind.EVENT
    title = factory.Sequence(lambda n: f"Ресурс {n}")
    provider = "ММЦ"
    level = "municipal"
    activity_kind = factory.LazyFunction(lambda: ActivityKind.objects.get(code="seminar"))

    @factory.post_generation
    def competencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.competencies.set(extracted)
