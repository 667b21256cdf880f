"""The reply check of renda.textmine for a case: the message is the case's title and content."""

from renda.cases.models import Case
from renda.textmine.replycheck import ReplyCheck, check_reply


def reply_check(case: Case, reply: str) -> ReplyCheck:
    return check_reply(message=f"{case.title}\n{case.content}", reply=reply)
