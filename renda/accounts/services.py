from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from renda.accounts.models import User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    full_name: str = "",
    phone: str = "",
    validate: bool = True,
) -> User:
    user = User(username=username, full_name=full_name, phone=phone)
    if password is None:
        user.set_unusable_password()
    else:
        if validate:
            validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user
