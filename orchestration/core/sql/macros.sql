-- Session macros. The pepper's HMAC pads are session variables set from the
-- environment with bound parameters (see store.py), never literals.

-- Every way an at-sign is written in the texts that reach the warehouse: as
-- itself, full-width or small (U+FF20, U+FE6B), as a JSON escape, as the
-- escaped bytes DuckDB prints for a BLOB cast to text, percent-encoded and as
-- an HTML entity.
CREATE OR REPLACE TEMP MACRO at_sign_forms() AS
'(?:@|＠|﹫|\\[uU]0040|\\[uU][Ff][Ff]20|\\[uU][Ff][Ee]6[Bb]|\\[xX]40|\\[xX][Ee][Ff]\\[xX][Bb][Cc]\\[xX][Aa]0'
|| '|\\[xX][Ee][Ff]\\[xX][Bb]9\\[xX][Aa][Bb]|%40|&#0*64;|&#[xX]0*40;|&commat;)';

-- A value readable as an e-mail address, written with its plain at-sign.
CREATE OR REPLACE TEMP MACRO plain_at(v) AS regexp_replace(v, at_sign_forms(), '@', 'g');  -- noqa: CP05

-- HMAC-SHA256(pepper, lower(trim(v))) in hex for any value holding an
-- at-sign in any of its forms (an e-mail address); other values pass through.
CREATE OR REPLACE TEMP MACRO pseudonym(v) AS  -- noqa: CP05
CASE
    WHEN regexp_matches(v, at_sign_forms())
        THEN sha256(
                getvariable('pepper_opad')
                || unhex(sha256(getvariable('pepper_ipad') || encode(lower(trim(plain_at(v))))))
            )
    ELSE v
END;

-- Quarantined originals keep their shape but no token holding an at-sign
-- survives, however it is written: each becomes its pseudonym, as the stored
-- events would have it. A token runs up to a separator; escapes (\u0040,
-- \xEF) are part of it.
CREATE OR REPLACE TEMP MACRO redact_emails(t) AS  -- noqa: CP05
-- DuckDB's lambda syntax is beyond sqlfluff's parser: the parse error is expected here
list_reduce(  -- noqa: PRS
        list_distinct(regexp_extract_all(t,
            '(?:[^\s"'',;:<>()\[\]{}\\]|\\[uU][0-9A-Fa-f]{4}|\\[xX][0-9A-Fa-f]{2})*' || at_sign_forms()
            || '(?:[^\s"'',;:<>()\[\]{}\\]|\\[uU][0-9A-Fa-f]{4}|\\[xX][0-9A-Fa-f]{2}|' || at_sign_forms() || ')*')),
        lambda acc, token: replace(acc, token, pseudonym(token)),
        t
    );

-- Bytes that are not UTF-8, redacted the same way: DuckDB writes a BLOB as
-- text with every byte outside printable ASCII (and the backslash) escaped as
-- \xHH, and reads that text back to the same bytes.
CREATE OR REPLACE TEMP MACRO redact_email_bytes(b) AS redact_emails(b::VARCHAR)::BLOB;

-- The first member in which two JSON objects differ: the first object's
-- members in its order, then those only the second has; NULL when equal.
CREATE OR REPLACE TEMP MACRO first_differing_member(a, b) AS  -- noqa: CP05
-- DuckDB's lambda syntax is beyond sqlfluff's parser: the parse error is expected here
list_filter(json_keys(a) || json_keys(b), lambda k: (a -> k) IS DISTINCT FROM (b -> k))[1];  -- noqa: PRS
