// Canvas on a Cairo context (the PNG maps).
#pragma once

#include "render/detail/canvas.hpp"

#include <cairo.h>

namespace placedef::detail {

class CairoCanvas final : public Canvas {
public:
    /// Draws on `cairo`, which the caller owns.
    explicit CairoCanvas(cairo_t* cairo) : m_cairo(cairo) {}
    void fill(const Rings& rings, const Colour& colour) override;
    void stroke(const Rings& rings, const Stroke& stroke, bool closed) override;
    void rectangle(double x, double y, double width, double height, const std::optional<Colour>& fill,
                   const std::optional<Stroke>& outline) override;
    void circle(double x, double y, double radius, const Colour& fill, const std::optional<Stroke>& outline) override;
    void text(double x, double baseline, const std::string& text, const TextStyle& style) override;
    void push_clip(double x, double y, double width, double height) override;
    void pop_clip() override;
    void begin_group(const std::string&) override {}
    void end_group() override {}
    void push_offset(const std::string& name, double dx, double dy) override;
    void pop_offset() override;

private:
    void set_colour(const Colour& colour);
    void add_rings(const Rings& rings, bool closed);
    void paint(const std::optional<Colour>& fill, const std::optional<Stroke>& outline);
    cairo_t* m_cairo;
};

/// Selects the map font in the given size and style on `cairo`.
void select_font(cairo_t* cairo, const Font& font);

}  // namespace placedef::detail
