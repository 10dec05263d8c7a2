"""The reasons a new trust starts with (a lead edits them in settings)."""

from __future__ import annotations

DEFAULT_REASONS = {
    "not_eligible": [
        ("lived_experience", "No lived experience of mental health challenges described",
         "The training is for people who have lived experience of mental health "
         "challenges, and we could not see this in your form."),
        ("age", "Under the minimum age", "You need to be 18 or older to join the training."),
        ("right_to_work", "No right to work in the UK",
         "The job after training needs the right to work in the UK."),
        ("recovery", "Not yet far enough along in their own recovery",
         "It sounds like now may not be the right time for you. Looking after yourself "
         "comes first, and you are welcome to apply again later."),
    ],
    "not_shortlisted": [
        ("criteria", "Does not meet the shortlisting criteria",
         "Other applications matched what we were looking for more closely this time."),
        ("places", "More applicants meeting the criteria than interview places",
         "We had more strong applications than interview places this time."),
        ("incomplete", "Application incomplete after contact",
         "We did not have all the information we needed from your form."),
    ],
    "not_successful": [
        ("interview_criteria", "Did not meet the interview criteria",
         "At interview, other people matched what we were looking for more closely."),
        ("places", "More good candidates than places",
         "We had more good candidates than places. Please think about applying again."),
        ("not_attended", "Did not attend the interview",
         "We did not see you at your interview."),
    ],
    "withdrawn": [
        ("personal", "Personal or health reasons",
         "You withdrew for personal reasons. We hope things go well for you."),
        ("other_job", "Took another job or course", "You told us you have another job or "
         "course. Good luck with it."),
        ("timing", "The dates do not suit", "The training dates did not suit you this time."),
        ("other", "Another reason", "You withdrew your application."),
    ],
}
