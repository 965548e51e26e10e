"""Single sign-on: LDAP / Active Directory and OpenID Connect, each on only when configured (docs/sso.md).

linking.py holds the one rule both follow (which portal account an outside identity signs in to);
directory.py and oidc.py adapt django-auth-ldap and mozilla-django-oidc to it.
"""
