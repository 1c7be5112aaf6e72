// Text for other programs (placedef/text.hpp): the terminal, XML readers and
// spreadsheets each get data text escaped by their own rule.
#include "placedef/text.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

using namespace placedef;

TEST_CASE("terminal_text shows control characters as escapes and keeps UTF-8 text", "[text]") {
    CHECK(terminal_text("SQ\x1b[31m1") == "SQ\\x1b[31m1");
    CHECK(terminal_text("a\x07" "b\x7f" "c\rd") == "a\\x07b\\x7fc\\x0dd");
    CHECK(terminal_text("line 1\nline 2\tend") == "line 1\nline 2\tend");  // layout is kept
    CHECK(terminal_text("\xc2\x9b" "2J") == "\\u009b2J");                      // C1 CSI as UTF-8
    CHECK(terminal_text("\x9b" "2J") == "\\x9b2J");                            // C1 CSI as a raw byte
    CHECK(terminal_text("abc\xe2\x80\xae" "fed") == "abc\\u202efed");          // right-to-left override
    CHECK(terminal_text("\xc3\xa9gham \xce\x93-\xce\xa9 \xe4\xb8\xad \xf0\x9f\x97\xba") ==
          "\xc3\xa9gham \xce\x93-\xce\xa9 \xe4\xb8\xad \xf0\x9f\x97\xba");
    CHECK(terminal_text("\xc3") == "\\xc3");                  // cut short
    CHECK(terminal_text("\xc0\xaf") == "\\xc0\\xaf");         // overlong '/'
    CHECK(terminal_text("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a surrogate
    CHECK(terminal_text(std::string("a\0b", 3)) == "a\\x00b");
    for (int c = 0; c < 256; ++c) {
        const std::string shown = terminal_text(std::string(1, static_cast<char>(c)));
        INFO("byte " << c);
        CHECK(shown.find('\x1b') == std::string::npos);
        for (const char s : shown) {
            const auto u = static_cast<unsigned char>(s);
            CHECK(((u >= 0x20 && u < 0x7f) || s == '\n' || s == '\t'));
        }
    }
}

TEST_CASE("xml_escape always gives text an XML 1.0 reader accepts", "[text]") {
    CHECK(xml_escape("a & b <c> \"d\" 'e'") == "a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;");
    CHECK(xml_escape("SQ\x1b[31m1") == "SQ\xef\xbf\xbd[31m1");
    CHECK(xml_escape(std::string("a\0b", 3)) == "a\xef\xbf\xbd" "b");
    CHECK(xml_escape("tab\tnew\nret\r") == "tab&#9;new&#10;ret&#13;");  // kept, even in attributes
    CHECK(xml_escape("\xef\xbf\xbe") == "\xef\xbf\xbd");                 // U+FFFE
    CHECK(xml_escape("bad \xff byte") == "bad \xef\xbf\xbd byte");
    CHECK(xml_escape("\xc3\xa9 \xc2\x85") == "\xc3\xa9 \xc2\x85");       // C1 is allowed in XML 1.0
    CHECK(xml_keeps("\xc3\xa9gham-1 & <x>"));
    CHECK_FALSE(xml_keeps("SQ\x1b"));
    CHECK_FALSE(xml_keeps("\xff"));
}

TEST_CASE("csv_guard stops spreadsheets running cells as formulas, csv_unguard undoes it exactly", "[text]") {
    CHECK(csv_guard("=1+2") == "'=1+2");
    CHECK(csv_guard("+SQ") == "'+SQ");
    CHECK(csv_guard("-SQ") == "'-SQ");
    CHECK(csv_guard("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_guard("\tx") == "'\tx");
    CHECK(csv_guard("\rx") == "'\rx");
    CHECK(csv_guard("E01000001") == "E01000001");
    CHECK(csv_guard("-12.5") == "-12.5");  // numbers are numbers
    CHECK(csv_guard("-1e-3") == "-1e-3");
    CHECK(csv_guard("") == "");
    CHECK(csv_guard("'") == "'");
    CHECK(csv_guard("'=x") == "''=x");  // else the reader would take its apostrophe
    CHECK(csv_unguard("'=1+2") == "=1+2");
    CHECK(csv_unguard("'quoted'") == "'quoted'");
    CHECK(csv_unguard("''=x") == "'=x");
    CHECK(csv_unguard("'-12") == "'-12");  // "-12" is a number: this apostrophe is the data's own
    for (const std::string text :
         {"=1+2", "'=1+2", "''=1+2", "'", "''", "-", "'-", "-5", "'-5", "+5", "'+5", "@", "a'b", "'abc", "\t", "'\t", "",
          "-inf", "'-nan", "=", "'''@x"}) {
        INFO("'" << text << "' -> '" << csv_guard(text) << "'");
        CHECK(csv_unguard(csv_guard(text)) == text);
    }
}

TEST_CASE("grouped_number groups thousands as a report's reader expects", "[text]") {
    CHECK(grouped_number(0) == "0");
    CHECK(grouped_number(999) == "999");
    CHECK(grouped_number(1000) == "1,000");
    CHECK(grouped_number(1045403.91) == "1,045,404");
    CHECK(grouped_number(-150000) == "-150,000");
    CHECK(grouped_number(-0.4) == "0");  // no "-0"
    CHECK(grouped_number(2544.46, 1) == "2,544.5");
    CHECK(grouped_number(123456789012.5, 2) == "123,456,789,012.50");
    CHECK(grouped_number(1e300) == "1e+300");  // never hundreds of digits
    CHECK(grouped_number(std::nan("")) == "nan");
    CHECK(grouped_number(-std::numeric_limits<double>::infinity()) == "-inf");
}

TEST_CASE("readable_number never prints hundreds of digits", "[text]") {
    CHECK(readable_number(0) == "0");
    CHECK(readable_number(12.5) == "12.5");
    CHECK(readable_number(523456.789) == "523456.789");
    CHECK(readable_number(-150000) == "-150000");
    CHECK(readable_number(0.1 + 0.2) == "0.3");
    CHECK(readable_number(1e300) == "1e+300");
    CHECK(readable_number(-1.5e300) == "-1.5e+300");
    CHECK(readable_number(1e15) == "1e+15");
    CHECK(readable_number(3.25e-12) == "3.25e-12");
    CHECK(readable_number(std::numeric_limits<double>::max()).size() < 16);
    CHECK(readable_number(std::numeric_limits<double>::infinity()) == "inf");
    CHECK(readable_number(-std::numeric_limits<double>::infinity()) == "-inf");
    CHECK(readable_number(std::nan("")) == "nan");
}
