// What the map layout draws on: a small set of drawing calls in device
// pixels (y down) with two implementations, Cairo for PNG and an SVG writer
// that keeps text as text. Text is measured by Cairo for both, so that label
// placement is the same in either output.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace placedef::detail {

struct Colour {
    double r = 0, g = 0, b = 0;  ///< 0..1
    double alpha = 1;
};

/// "#rrggbb" (or "#rgb"); throws invalid_input naming `what` otherwise.
Colour parse_colour(const std::string& text, const std::string& what);
/// "#rrggbb" of the colour, ignoring alpha.
std::string to_hex(const Colour& colour);

struct Point {
    double x = 0, y = 0;
};

/// Rings of one shape in device pixels, filled by the even-odd rule so that
/// holes stay empty whatever their orientation.
using Rings = std::vector<std::vector<Point>>;

struct Stroke {
    Colour colour;
    double width = 1;  ///< pixels
};

struct Font {
    double size = 12;  ///< pixels
    bool bold = false;
    bool italic = false;
};

/// Font family of every text on a map; SVG output lists fallbacks after it.
inline constexpr const char* map_font = "DejaVu Sans";

enum class Anchor { start, middle, end };

struct TextStyle {
    Font font;
    Colour colour;
    Anchor anchor = Anchor::start;
    double halo = 0;  ///< width of a white outline behind the glyphs, pixels (0 = none)
};

struct TextExtent {
    double width = 0;    ///< advance
    double ascent = 0;   ///< of the font, above the baseline
    double descent = 0;  ///< of the font, below the baseline
};

/// Measures text with Cairo's font machinery; one per thread (holds a Cairo context).
class TextMeasure {
public:
    TextMeasure();
    ~TextMeasure();
    TextMeasure(const TextMeasure&) = delete;
    TextMeasure& operator=(const TextMeasure&) = delete;
    TextExtent measure(const std::string& text, const Font& font);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

class Canvas {
public:
    virtual ~Canvas() = default;
    virtual void fill(const Rings& rings, const Colour& colour) = 0;
    /// `closed`: rings are closed back to their first point (boundaries); else open lines.
    virtual void stroke(const Rings& rings, const Stroke& stroke, bool closed) = 0;
    virtual void rectangle(double x, double y, double width, double height, const std::optional<Colour>& fill,
                           const std::optional<Stroke>& outline) = 0;
    virtual void circle(double x, double y, double radius, const Colour& fill, const std::optional<Stroke>& outline) = 0;
    /// `baseline` is the y of the text's baseline; `x` is where `style.anchor` says.
    virtual void text(double x, double baseline, const std::string& text, const TextStyle& style) = 0;
    /// Drawing until pop_clip() is clipped to the rectangle.
    virtual void push_clip(double x, double y, double width, double height) = 0;
    virtual void pop_clip() = 0;
    /// Names a group of drawing calls (an SVG <g> of that class; nothing for PNG).
    virtual void begin_group(const std::string& name) = 0;
    virtual void end_group() = 0;
    /// A named group whose calls, until pop_offset(), take (dx, dy) as their
    /// origin: a panel of a figure drawn by the code that draws a whole map.
    virtual void push_offset(const std::string& name, double dx, double dy) = 0;
    virtual void pop_offset() = 0;
};

}  // namespace placedef::detail
