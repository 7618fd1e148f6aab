-- Session macros. The pepper's HMAC pads are session variables set from the
-- environment with bound parameters (see store.py), never literals.

-- HMAC-SHA256(pepper, lower(trim(v))) in hex for any value holding '@'
-- (an e-mail address); other values pass through unchanged.
CREATE OR REPLACE TEMP MACRO pseudonym(v) AS
    CASE WHEN contains(v, '@') THEN
        sha256(getvariable('pepper_opad') || unhex(sha256(getvariable('pepper_ipad') || encode(lower(trim(v))))))
    ELSE v END;

-- Quarantined originals keep their shape but no token holding '@' survives:
-- each becomes its pseudonym, as the stored events would have it.
CREATE OR REPLACE TEMP MACRO redact_emails(t) AS
    list_reduce(
        list_distinct(regexp_extract_all(t, '[^\s"'',;:<>()\[\]{}\\]*@[^\s"'',;:<>()\[\]{}\\]*')),
        lambda acc, token: replace(acc, token, pseudonym(token)),
        t
    );
