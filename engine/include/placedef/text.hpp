// Text from data on its way to other programs: a terminal, an XML reader (SVG
// maps, QGIS styles, the HTML report) and a spreadsheet opening a CSV. Codes
// and names come from files anyone can write; each target gets them escaped
// by its own rule, here, so that no front end or writer has one of its own
// (docs/decisions/0014-text-for-other-programs.md).
#pragma once

#include <string>
#include <string_view>

namespace placedef {
inline namespace core {

/// `text` as a terminal may show it: control characters (C0 but newline and
/// tab, DEL, C1), the bidirectional overrides and bytes that are not UTF-8
/// become visible escapes (`\x1b`, `\u009b`, `\u202e`), so that text from
/// data can never move the cursor, recolour or retitle the terminal. Valid
/// UTF-8 text (accents, Greek, CJK) is kept as it is.
std::string terminal_text(std::string_view text);

/// `text` for XML 1.0 content or an attribute value: & < > " ' as entities,
/// tab, newline and carriage return as character references (so that an
/// attribute keeps them), and every character XML 1.0 forbids (other C0
/// controls, U+FFFE, U+FFFF) and every byte that is not UTF-8 replaced by
/// U+FFFD. The result is always well-formed.
std::string xml_escape(std::string_view text);

/// True when xml_escape keeps every character of `text` (none is replaced by
/// U+FFFD), so an XML reader gets `text` back exactly.
bool xml_keeps(std::string_view text);

/// A text cell for a CSV that a spreadsheet may open: a cell that is not a
/// number and starts with = + - @ tab or carriage return gets a leading
/// apostrophe, so that it is shown as text and never run as a formula (the
/// OWASP rule); so does a cell that would otherwise lose an apostrophe to
/// csv_unguard. Numbers ("-12.5", "1e-3") are kept as they are.
std::string csv_guard(std::string_view cell);

/// The inverse of csv_guard, used by placedef's own table reader: removes
/// exactly the one apostrophe csv_guard adds, so that any text survives a
/// round trip through a placedef CSV unchanged.
std::string csv_unguard(std::string_view cell);

/// A number for messages: up to 15 significant digits in plain form from
/// 0.0001 to 1e15 ("12.5", "523456.789"), six in exponent form beyond
/// ("1e+300", "3.2e-12"), never hundreds of digits; "nan", "inf", "-inf".
std::string readable_number(double value);

/// A number as a report's reader reads it: thousands grouped with commas and
/// `digits` decimals ("1,045,404", "2,544.5"); beyond 1e15, and for NaN and
/// infinities, as readable_number() says it (never hundreds of digits).
std::string grouped_number(double value, int digits = 0);

/// A share in [0, 1] as people read it: a percentage to one decimal
/// ("47.9 %"); a share that is not 0 but rounds to 0.0 shows as "< 0.1 %",
/// one that is not 1 but rounds to 100.0 as "> 99.9 %", so that a sliver
/// never reads as nothing or as all; "n/a" when not a number.
std::string percent_text(double share);

}  // namespace core
}  // namespace placedef
