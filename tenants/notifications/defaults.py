"""Default wording of every message the platform sends, seeded into every trust.

Trusts review and edit these on their templates page. Each message may use the common
placeholders and its own; nothing else (an unknown placeholder is refused on saving).
No message carries health data: anything personal is behind a signed-in link.
"""

from __future__ import annotations

COMMON_PLACEHOLDERS = ("first_name", "trust_name", "contact_email", "contact_phone")

SUPPORT = ("If you need to talk to someone now, you can call NHS 111 (option 2 for mental "
           "health) or Samaritans on 116 123, any time, for free.")
CONTACT = "Questions? Email ((contact_email)) or call ((contact_phone))."
EASY_CONTACT = "Questions? Call ((contact_phone)).\nOr email ((contact_email))."


def _msg(name, placeholders, subject, body, sms=None, easy_subject=None, easy_body=None,
         easy_sms=None):
    return {
        "name": name,
        "placeholders": tuple(placeholders),
        "standard": {"subject": subject, "body_text": body, "sms_text": sms},
        "easy_read": {"subject": easy_subject or subject, "body_text": easy_body or body,
                      "sms_text": easy_sms or sms},
    }


MESSAGES = {
    "dropin_booking_confirmation": _msg(
        "Drop-in session: booking confirmed",
        ("session_date", "session_time", "session_place", "manage_link"),
        "Your place at a peer support drop-in session",
        "Hello ((first_name)),\n\nThank you for booking a place at a drop-in session about "
        "peer support worker training with ((trust_name)).\n\nDate: ((session_date))\n"
        "Time: ((session_time))\nWhere: ((session_place))\n\nWe have attached a calendar file "
        "so you can add it to your calendar.\n\nIf you cannot come, you can cancel your "
        "place here and book another session: ((manage_link))\n\n" + CONTACT,
        "((trust_name)): your drop-in place is booked for ((session_date)) at "
        "((session_time)). Details: ((manage_link))",
        "You are booked on a drop-in session",
        "Hello ((first_name)),\n\nYou are booked on a drop-in session.\n\nIt is about "
        "training to be a peer support worker.\n\nDay: ((session_date))\nTime: "
        "((session_time))\nPlace: ((session_place))\n\nCannot come? Use this link: "
        "((manage_link))\n\n" + EASY_CONTACT),
    "dropin_reminder": _msg(
        "Drop-in session: reminder the day before",
        ("session_date", "session_time", "session_place", "manage_link"),
        "Reminder: peer support drop-in session tomorrow",
        "Hello ((first_name)),\n\nThis is a reminder that your drop-in session with "
        "((trust_name)) is tomorrow.\n\nDate: ((session_date))\nTime: ((session_time))\n"
        "Where: ((session_place))\n\nIf you cannot come, please cancel here so someone else "
        "can have the place: ((manage_link))\n\n" + CONTACT,
        "Reminder from ((trust_name)): drop-in session tomorrow, ((session_date)) at "
        "((session_time)). Cannot come? ((manage_link))",
        "Your drop-in session is tomorrow",
        "Hello ((first_name)),\n\nYour drop-in session is tomorrow.\n\nTime: "
        "((session_time))\nPlace: ((session_place))\n\nCannot come? Use this link: "
        "((manage_link))\n\n" + EASY_CONTACT),
    "dropin_booking_cancelled": _msg(
        "Drop-in session: booking cancelled",
        ("session_date", "session_time", "session_place"),
        "Your drop-in place is cancelled",
        "Hello ((first_name)),\n\nYour place at the drop-in session with ((trust_name)) on "
        "((session_date)), ((session_time)), at ((session_place)) is cancelled.\n\nThe "
        "attached calendar file takes it out of your calendar.\n\nYou are welcome to book "
        "another session, or just come along to one.\n\n" + CONTACT,
        "((trust_name)): your drop-in place on ((session_date)) at ((session_time)) is "
        "cancelled.",
        "Your drop-in place is cancelled",
        "Hello ((first_name)),\n\nYou are not booked on the drop-in session any more.\n\n"
        "Day: ((session_date))\nTime: ((session_time))\n\nYou can book another one.\n\n"
        + EASY_CONTACT),
    "coordinator_invitation": _msg(
        "Coordinator invitation",
        ("invite_link", "invited_by", "expires_in"),
        "You have been invited to manage peer support training",
        "Hello,\n\n((invited_by)) has invited you to help run the Peer Support Worker "
        "programme at ((trust_name)) on PeerPath.\n\nSet your password and sign in here: "
        "((invite_link))\n\nThe link works once and expires in ((expires_in)). If you were "
        "not expecting this, you can ignore this email."),
    "test_message": _msg(
        "Test message",
        ("sent_by",),
        "Test message from PeerPath",
        "Hello ((first_name)),\n\nThis is a test message from ((trust_name)), sent by "
        "((sent_by)) from the message templates page. If you can read it, messages are "
        "reaching you.\n\n" + CONTACT,
        "Test text message from ((trust_name)) on PeerPath."),
    "eoi_acknowledgement": _msg(
        "Expression of interest received",
        ("reference", "sign_in_link", "cohort_name"),
        "We have received your expression of interest",
        "Hello ((first_name)),\n\nThank you for your expression of interest in peer support "
        "worker training (((cohort_name))) with ((trust_name)). Your reference is "
        "((reference)).\n\nWe respond to every form we receive. You can see where your "
        "application is at any time: ((sign_in_link))\n\n" + CONTACT,
        "((trust_name)) has received your expression of interest, reference ((reference)). "
        "Track it: ((sign_in_link))",
        "We got your form",
        "Hello ((first_name)),\n\nThank you. We got your form about peer support worker "
        "training.\n\nYour number is ((reference)).\n\nWe will tell you what happens next."
        "\n\nSee how it is going: ((sign_in_link))\n\n" + EASY_CONTACT),
    "magic_sign_in_link": _msg(
        "Sign-in link",
        ("sign_in_link", "expires_in"),
        "Your sign-in link",
        "Hello ((first_name)),\n\nUse this link to sign in to your peer support training "
        "application with ((trust_name)): ((sign_in_link))\n\nThe link works once and expires "
        "in ((expires_in)). If you did not ask for it, you can ignore this email.",
        "Your ((trust_name)) sign-in link (works once, for ((expires_in))): ((sign_in_link))",
        "Your link to sign in",
        "Hello ((first_name)),\n\nPress this link to sign in: ((sign_in_link))\n\nIt works "
        "one time. It stops working after ((expires_in)).\n\nDid not ask for it? You can "
        "ignore this email."),
    "interview_invitation": _msg(
        "Interview invitation",
        ("booking_link", "respond_by"),
        "Please choose a time for your interview",
        "Hello ((first_name)),\n\nWe would like to invite you to an interview for peer "
        "support worker training with ((trust_name)).\n\nPlease choose a time that suits "
        "you by ((respond_by)): ((booking_link))\n\nIf you need any adjustments for the "
        "interview, you can tell us on the same page.\n\n" + CONTACT,
        "((trust_name)): you are invited to an interview. Choose a time by ((respond_by)): "
        "((booking_link))",
        "Please pick a time for your interview",
        "Hello ((first_name)),\n\nWe want to meet you for an interview.\n\nPlease pick a "
        "time by ((respond_by)).\n\nUse this link: ((booking_link))\n\nYou can tell us if "
        "you need help at the interview.\n\n" + EASY_CONTACT),
    "interview_confirmation": _msg(
        "Interview booked",
        ("interview_date", "interview_time", "interview_place", "sign_in_link"),
        "Your interview is booked",
        "Hello ((first_name)),\n\nYour interview with ((trust_name)) is booked.\n\nDate: "
        "((interview_date))\nTime: ((interview_time))\nWhere: ((interview_place))\n\nWe "
        "have attached a calendar file. You can change or cancel it here: "
        "((sign_in_link))\n\n" + CONTACT,
        "((trust_name)): interview booked for ((interview_date)) at ((interview_time)). "
        "Details: ((sign_in_link))"),
    "interview_cancelled": _msg(
        "Interview cancelled",
        ("interview_date", "interview_time", "sign_in_link"),
        "Your interview is cancelled",
        "Hello ((first_name)),\n\nYour interview with ((trust_name)) on ((interview_date)) "
        "at ((interview_time)) is cancelled. The attached calendar file takes it out of "
        "your calendar.\n\nYou can choose another time here: ((sign_in_link))\n\n"
        + CONTACT,
        "((trust_name)): your interview on ((interview_date)) at ((interview_time)) is "
        "cancelled. Choose another time: ((sign_in_link))"),
    "interview_reminder": _msg(
        "Interview reminder",
        ("interview_date", "interview_time", "interview_place", "sign_in_link"),
        "Reminder: your interview is tomorrow",
        "Hello ((first_name)),\n\nThis is a reminder that your interview with ((trust_name)) "
        "is tomorrow, ((interview_date)) at ((interview_time)), at ((interview_place)).\n\n"
        "Details and changes: ((sign_in_link))\n\n" + CONTACT,
        "Reminder from ((trust_name)): interview tomorrow at ((interview_time)). Details: "
        "((sign_in_link))"),
    "outcome_not_eligible": _msg(
        "Outcome: not able to go ahead this time",
        ("sign_in_link", "support_link"),
        "About your expression of interest",
        "Hello ((first_name)),\n\nThank you for your interest in peer support worker "
        "training with ((trust_name)). We are sorry, but we are not able to take your "
        "application forward this time. You can see your application when you sign in: "
        "((sign_in_link))\n\nIf you would like to know more about why, email or call us "
        "and we will talk it through with you.\n\nThis is not a judgement about you. If "
        "this news is hard, here is where to find support: ((support_link))\n\n"
        + SUPPORT + "\n\n" + CONTACT),
    "outcome_not_shortlisted": _msg(
        "Outcome: not shortlisted",
        ("sign_in_link", "support_link"),
        "About your application",
        "Hello ((first_name)),\n\nThank you for applying for peer support worker training "
        "with ((trust_name)). We had many applications, and we are sorry that we cannot "
        "offer you an interview this time.\n\nYou are welcome to apply again. Sign in to "
        "see your application: ((sign_in_link))\n\nIf this news is hard, here is where to "
        "find support: ((support_link))\n\n" + SUPPORT + "\n\n" + CONTACT),
    "outcome_not_successful": _msg(
        "Outcome: not successful after interview",
        ("sign_in_link", "support_link"),
        "About your interview",
        "Hello ((first_name)),\n\nThank you for coming to your interview with "
        "((trust_name)). We are sorry that we cannot offer you a place this time. It was a "
        "hard decision.\n\nSign in to see your application: "
        "((sign_in_link))\n\nIf you would like feedback on your interview, email or call "
        "us and we will arrange it.\n\nIf this news is hard, here is where to find support: "
        "((support_link))\n\n"
        + SUPPORT + "\n\n" + CONTACT),
    "place_offer": _msg(
        "Training place offered",
        ("cohort_name", "respond_by", "sign_in_link"),
        "We would like to offer you a training place",
        "Hello ((first_name)),\n\nWe are pleased to offer you a place on peer support worker "
        "training with ((trust_name)) (((cohort_name))).\n\nPlease sign in and accept or "
        "decline by ((respond_by)): ((sign_in_link))\n\n" + CONTACT,
        "((trust_name)): you have been offered a training place. Please reply by "
        "((respond_by)): ((sign_in_link))",
        "We have a training place for you",
        "Hello ((first_name)),\n\nGood news. We have a place for you on the training.\n\n"
        "Please tell us yes or no by ((respond_by)).\n\nUse this link: ((sign_in_link))\n\n"
        + EASY_CONTACT),
    "reply_by_reminder": _msg(
        "Reply-by reminder: the working day before",
        ("about", "respond_by", "sign_in_link"),
        "A reminder to reply by ((respond_by))",
        "Hello ((first_name)),\n\nThis is a gentle reminder about ((about)) from "
        "((trust_name)). Please let us know by ((respond_by)): ((sign_in_link))\n\n"
        "If you need more time, just get in touch and we can talk about it.\n\n" + CONTACT,
        "((trust_name)): a reminder to reply about ((about)) by ((respond_by)): "
        "((sign_in_link))",
        "Please reply by ((respond_by))",
        "Hello ((first_name)),\n\nPlease tell us about ((about)).\n\nPlease reply by "
        "((respond_by)).\n\nUse this link: ((sign_in_link))\n\nNeed more time? Tell us.\n\n"
        + EASY_CONTACT),
    "reply_by_lapsed": _msg(
        "Reply-by date passed",
        ("about", "respond_by", "sign_in_link"),
        "About ((about))",
        "Hello ((first_name)),\n\nWe did not hear from you by ((respond_by)) about "
        "((about)), so it has now closed. We understand that life gets "
        "busy, and this does not count against you.\n\nYou are welcome to apply again, "
        "or to talk to us about it: ((sign_in_link))\n\n" + SUPPORT + "\n\n" + CONTACT,
        "((trust_name)): we did not hear from you by ((respond_by)), so ((about)) has "
        "lapsed. You are welcome to talk to us: ((sign_in_link))",
        "We did not hear from you",
        "Hello ((first_name)),\n\nWe did not hear from you by ((respond_by)).\n\n"
        "So ((about)) has closed.\n\nThis is OK. You can apply again."
        "\n\nUse this link to talk to us: ((sign_in_link))\n\n" + EASY_CONTACT),
    "reply_by_extended": _msg(
        "Reply-by date extended",
        ("about", "respond_by", "sign_in_link"),
        "You have until ((respond_by)) to reply",
        "Hello ((first_name)),\n\nWe have given you more time to reply about ((about)) "
        "from ((trust_name)). The new date is ((respond_by)).\n\nYou can reply when you "
        "sign in: ((sign_in_link))\n\n" + CONTACT,
        "((trust_name)): you now have until ((respond_by)) to reply about ((about)): "
        "((sign_in_link))",
        "You have more time to reply",
        "Hello ((first_name)),\n\nYou have more time to tell us about ((about)).\n\n"
        "Please reply by ((respond_by)).\n\nUse this link: ((sign_in_link))\n\n"
        + EASY_CONTACT),
    "eoi_response_chaser": _msg(
        "EOIs to respond to: the working day before they fall due (to the team)",
        ("count", "due_date", "task_list_link"),
        "Expressions of interest to respond to by ((due_date))",
        "Hello ((first_name)),\n\n((count)) sent to ((trust_name)) will reach the date we "
        "promised to respond by on ((due_date)), and no one on the team has responded "
        "yet.\n\nSee them, with the days left for each: ((task_list_link))\n\nThis email "
        "names no one: sign in to see who is waiting."),
    "training_day_reminder": _msg(
        "Training day reminder",
        ("training_date", "training_time", "training_place", "sign_in_link"),
        "Reminder: training day tomorrow",
        "Hello ((first_name)),\n\nA reminder that your next training day with ((trust_name)) "
        "is tomorrow, ((training_date)), from ((training_time)) at ((training_place)).\n\n"
        "If you cannot come, please email or call us to let us know (details below). You "
        "can see your application here: ((sign_in_link))\n\n" + CONTACT,
        "Reminder from ((trust_name)): training tomorrow, ((training_time)) at "
        "((training_place))."),
    "follow_up": _msg(
        "Follow-up after training",
        ("months", "sign_in_link"),
        "How are things going?",
        "Hello ((first_name)),\n\nIt is ((months)) months since you finished peer support "
        "worker training with ((trust_name)). We would love to hear how things are going. "
        "It takes a couple of minutes: ((sign_in_link))\n\n" + CONTACT,
        "((trust_name)): how are things going since your training? Tell us here: "
        "((sign_in_link))"),
    "follow_up_reminder": _msg(
        "Follow-up after training: one reminder",
        ("months", "sign_in_link"),
        "A reminder: how are things going?",
        "Hello ((first_name)),\n\nA couple of weeks ago we asked how things are going, ((months)) "
        "months after your peer support worker training with ((trust_name)). If you have a "
        "couple of minutes, we would still love to hear: ((sign_in_link))\n\nThis is the only "
        "reminder we will send.\n\n" + CONTACT,
        "((trust_name)): a reminder, we would love to hear how things are going since your "
        "training: ((sign_in_link))"),
    "application_update": _msg(
        "Application update",
        ("sign_in_link",),
        "There is an update on your application",
        "Hello ((first_name)),\n\nThere is an update on your peer support worker training "
        "application with ((trust_name)). Sign in to read it: ((sign_in_link))\n\n" + CONTACT,
        "((trust_name)): there is an update on your application: ((sign_in_link))"),
    "deferred_place_reinstated": _msg(
        "Deferred place: the new cohort's dates",
        ("cohort_name", "starts_on", "sign_in_link"),
        "Your training place: the new dates",
        "Hello ((first_name)),\n\nYou moved your peer support worker training place with "
        "((trust_name)) to a later group. We have kept your place on the cohort starting "
        "((starts_on)) (((cohort_name))).\n\nSign in to see your application and the "
        "training dates: ((sign_in_link))\n\n" + CONTACT,
        "((trust_name)): your training place is on the cohort starting ((starts_on)). "
        "Details: ((sign_in_link))",
        "Your training place: new dates",
        "Hello ((first_name)),\n\nYou moved your training place to a later group.\n\n"
        "Your place is on the group starting ((starts_on)).\n\nSee your dates here: "
        "((sign_in_link))\n\n" + EASY_CONTACT),
    "deferred_places_waiting": _msg(
        "Deferred places waiting in a cohort (to the team)",
        ("count", "cohort_name", "starts_on", "places_link"),
        "Deferred places are waiting in ((cohort_name))",
        "Hello,\n\n((count)) deferred places are waiting in ((cohort_name)), starting "
        "((starts_on)). They count against the cohort's places.\n\nSee them on the "
        "places page: ((places_link))"),
}


def allowed_placeholders(key: str) -> tuple[str, ...]:
    return COMMON_PLACEHOLDERS + MESSAGES[key]["placeholders"]
