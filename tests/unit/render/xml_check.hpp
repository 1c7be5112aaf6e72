// A small well-formedness check for the XML the render module writes (SVG
// maps, QGIS styles): properly nested elements, quoted attributes, known
// entities, one root. Returns the character data, unescaped, for checking
// which texts a document shows.
#pragma once

#include <cctype>
#include <string>
#include <vector>

namespace placedef::test {

struct XmlCheck {
    bool well_formed = false;
    std::string error;                  ///< what broke the rules, and where
    std::string text;                   ///< character data, one line per text node
    std::vector<std::string> elements;  ///< names of the elements, in document order
};

inline XmlCheck check_xml(const std::string& doc) {
    XmlCheck out;
    std::vector<std::string> open;
    std::size_t at = 0, roots = 0;
    auto fail = [&](const std::string& what) {
        out.error = what + " at offset " + std::to_string(at);
        return out;
    };
    // Replaces the entity at `at` (pointing at '&'); false when it is not one.
    auto entity = [&](std::string& into) {
        const std::size_t end = doc.find(';', at);
        if (end == std::string::npos || end - at > 10) return false;
        const std::string name = doc.substr(at + 1, end - at - 1);
        if (name == "amp") into += '&';
        else if (name == "lt") into += '<';
        else if (name == "gt") into += '>';
        else if (name == "quot") into += '"';
        else if (name == "apos") into += '\'';
        else if (name.size() > 1 && name[0] == '#') into += '?';
        else return false;
        at = end + 1;
        return true;
    };
    auto name = [&] {
        const std::size_t start = at;
        while (at < doc.size() && (std::isalnum(static_cast<unsigned char>(doc[at])) || doc[at] == '-' ||
                                   doc[at] == '_' || doc[at] == ':' || doc[at] == '.'))
            ++at;
        return doc.substr(start, at - start);
    };
    auto skip_space = [&] {
        while (at < doc.size() && std::isspace(static_cast<unsigned char>(doc[at]))) ++at;
    };
    while (at < doc.size()) {
        if (doc.compare(at, 2, "<?") == 0 || doc.compare(at, 2, "<!") == 0) {
            const char* end = doc.compare(at, 4, "<!--") == 0 ? "-->" : ">";
            const std::size_t found = doc.find(end, at);
            if (found == std::string::npos) return fail("unclosed declaration or comment");
            at = found + std::string(end).size();
        } else if (doc.compare(at, 2, "</") == 0) {
            at += 2;
            const std::string closing = name();
            skip_space();
            if (at >= doc.size() || doc[at] != '>') return fail("bad end tag");
            ++at;
            if (open.empty() || open.back() != closing) return fail("end tag </" + closing + "> does not match");
            open.pop_back();
        } else if (doc[at] == '<') {
            ++at;
            const std::string element = name();
            if (element.empty()) return fail("element without a name");
            if (open.empty() && ++roots > 1) return fail("second root element");
            out.elements.push_back(element);
            for (;;) {
                skip_space();
                if (at >= doc.size()) return fail("unclosed tag <" + element + ">");
                if (doc.compare(at, 2, "/>") == 0) {
                    at += 2;
                    break;
                }
                if (doc[at] == '>') {
                    ++at;
                    open.push_back(element);
                    break;
                }
                if (name().empty()) return fail("bad attribute in <" + element + ">");
                skip_space();
                if (at >= doc.size() || doc[at] != '=') return fail("attribute without a value in <" + element + ">");
                ++at;
                skip_space();
                if (at >= doc.size() || (doc[at] != '"' && doc[at] != '\'')) return fail("unquoted attribute");
                const char quote = doc[at++];
                std::string value;
                while (at < doc.size() && doc[at] != quote) {
                    if (doc[at] == '<') return fail("'<' in an attribute value");
                    if (doc[at] == '&') {
                        if (!entity(value)) return fail("unknown entity");
                    } else {
                        value += doc[at++];
                    }
                }
                if (at >= doc.size()) return fail("unclosed attribute value");
                ++at;
            }
        } else {
            std::string text;
            while (at < doc.size() && doc[at] != '<') {
                if (doc[at] == '&') {
                    if (!entity(text)) return fail("unknown entity");
                } else {
                    text += doc[at++];
                }
            }
            if (open.empty() && text.find_first_not_of(" \t\r\n") != std::string::npos)
                return fail("text outside the root element");
            if (text.find_first_not_of(" \t\r\n") != std::string::npos) out.text += text + '\n';
        }
    }
    if (!open.empty()) return fail("element <" + open.back() + "> is not closed");
    if (roots != 1) return fail("no root element");
    out.well_formed = true;
    return out;
}

}  // namespace placedef::test
