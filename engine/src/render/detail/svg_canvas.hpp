// Canvas that writes an SVG document (the SVG maps and the inline maps of
// HTML reports). Text stays text, with the map font and web fallbacks.
#pragma once

#include "placedef/text.hpp"

#include "render/detail/canvas.hpp"

#include <string>

namespace placedef::detail {

class SvgCanvas final : public Canvas {
public:
    /// Starts a document of `width` x `height` pixels whose <title> is `title`.
    SvgCanvas(int width, int height, const std::string& title);
    void fill(const Rings& rings, const Colour& colour) override;
    void stroke(const Rings& rings, const Stroke& stroke, bool closed) override;
    void rectangle(double x, double y, double width, double height, const std::optional<Colour>& fill,
                   const std::optional<Stroke>& outline) override;
    void circle(double x, double y, double radius, const Colour& fill, const std::optional<Stroke>& outline) override;
    void text(double x, double baseline, const std::string& text, const TextStyle& style) override;
    void push_clip(double x, double y, double width, double height) override;
    void pop_clip() override;
    void begin_group(const std::string& name) override;
    void end_group() override;
    void push_offset(const std::string& name, double dx, double dy) override;
    void pop_offset() override;
    /// Closes the open groups and the document and returns it.
    std::string finish();

private:
    void open_group(const std::string& name, const std::string& transform);
    void number(double value);
    void attribute(const char* name, double value);
    void attribute(const char* name, const std::string& value);
    void path_data(const Rings& rings, bool closed);
    void paint(const std::optional<Colour>& fill, const std::optional<Stroke>& outline);
    std::string m_out;
    int m_open_groups = 0;
    int m_clips = 0;
};


}  // namespace placedef::detail
