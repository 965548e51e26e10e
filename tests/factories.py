"""factory_boy factories of the schools app; other apps' factories live beside their tests."""

import factory
from django.contrib.auth import get_user_model

from schools.models import Membership, Municipality, Organisation, Region, StaffMember


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Регион {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Муниципалитет {n}")
    methodical_centre = "ММЦ"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    short_name = factory.Sequence(lambda n: f"МБОУ СОШ №{n}")
    name = factory.LazyAttribute(lambda o: f"Муниципальное бюджетное общеобразовательное учреждение {o.short_name}")
    kind = Organisation.Kind.SOSH


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-word-123")
    is_active = True


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    organisation = factory.SubFactory(OrganisationFactory)
    last_name = factory.Sequence(lambda n: f"Иванова{n}")
    first_name = "Мария"
    middle_name = "Петровна"
    position = "учитель математики"
    subject = "математика"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Membership.Role.TEACHER
