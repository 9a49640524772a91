/// The screens' pictures as shapes, drawn in a unit square that is scaled into the icon's frame. Plain and bold,
/// recognisable at 15 mm by a resident who reads little.
enum ScreenIcons {
    static func draw(_ icon: Icon, in frame: Rect, color: Color) -> [DisplayItem] {
        let side = min(frame.size.width, frame.size.height)
        let origin = Point(
            x: frame.origin.x + (frame.size.width - side) / 2, y: frame.origin.y + (frame.size.height - side) / 2)
        let pen = Pen(origin: origin, side: side, ink: color, paper: .white)
        return pen.shapes(icon)
    }

    /// Maps unit-square coordinates into the frame.
    struct Pen {
        let origin: Point
        let side: Double
        let ink: Color
        let paper: Color

        func p(_ x: Double, _ y: Double) -> Point { Point(x: origin.x + x * side, y: origin.y + y * side) }
        func r(_ x: Double, _ y: Double, _ w: Double, _ h: Double) -> Rect {
            Rect(x: origin.x + x * side, y: origin.y + y * side, width: w * side, height: h * side)
        }
        func box(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ radius: Double, _ color: Color) -> DisplayItem {
            .roundedRect(r(x, y, w, h), radius: radius * side, color)
        }
        func dot(_ x: Double, _ y: Double, _ radius: Double, _ color: Color) -> DisplayItem {
            .circle(center: p(x, y), radius: radius * side, color)
        }

        func shapes(_ icon: Icon) -> [DisplayItem] {
            switch icon {
            case .card:
                [
                    box(0.04, 0.2, 0.92, 0.6, 0.07, ink), box(0.14, 0.34, 0.2, 0.16, 0.03, paper),
                    box(0.44, 0.36, 0.42, 0.07, 0.02, paper), box(0.44, 0.52, 0.3, 0.07, 0.02, paper),
                ]
            case .lock:
                [
                    .arc(center: p(0.5, 0.42), radius: 0.2 * side, from: .pi, to: 2 * .pi, width: 0.09 * side, ink),
                    .stroke([p(0.3, 0.42), p(0.3, 0.5)], width: 0.09 * side, ink),
                    .stroke([p(0.7, 0.42), p(0.7, 0.5)], width: 0.09 * side, ink),
                    box(0.18, 0.46, 0.64, 0.46, 0.07, ink), dot(0.5, 0.65, 0.07, paper),
                    box(0.47, 0.66, 0.06, 0.14, 0.02, paper),
                ]
            case .letter:
                [
                    box(0.18, 0.05, 0.64, 0.9, 0.05, ink), box(0.24, 0.11, 0.52, 0.78, 0.03, paper),
                    box(0.3, 0.22, 0.4, 0.06, 0.02, ink), box(0.3, 0.38, 0.4, 0.05, 0.02, ink),
                    box(0.3, 0.5, 0.4, 0.05, 0.02, ink), box(0.3, 0.62, 0.28, 0.05, 0.02, ink),
                ]
            case .printer:
                [
                    box(0.26, 0.06, 0.48, 0.34, 0.03, ink), box(0.31, 0.11, 0.38, 0.29, 0.02, paper),
                    box(0.06, 0.32, 0.88, 0.38, 0.08, ink), dot(0.8, 0.42, 0.04, paper),
                    box(0.24, 0.58, 0.52, 0.36, 0.03, ink), box(0.29, 0.58, 0.42, 0.31, 0.02, paper),
                    box(0.35, 0.68, 0.3, 0.05, 0.02, ink), box(0.35, 0.78, 0.22, 0.05, 0.02, ink),
                ]
            case .check:
                [
                    dot(0.5, 0.5, 0.46, ink),
                    .stroke([p(0.27, 0.52), p(0.43, 0.68), p(0.74, 0.35)], width: 0.1 * side, paper),
                ]
            case .warning:
                [
                    .polygon([p(0.5, 0.05), p(0.97, 0.92), p(0.03, 0.92)], ink),
                    box(0.455, 0.32, 0.09, 0.34, 0.03, paper), dot(0.5, 0.79, 0.055, paper),
                ]
            case .clock:
                [
                    dot(0.5, 0.5, 0.46, ink), dot(0.5, 0.5, 0.37, paper),
                    .stroke([p(0.5, 0.24), p(0.5, 0.5), p(0.69, 0.62)], width: 0.08 * side, ink),
                ]
            case .wrench:
                [
                    .stroke([p(0.4, 0.4), p(0.84, 0.84)], width: 0.17 * side, ink), dot(0.32, 0.32, 0.22, ink),
                    dot(0.24, 0.24, 0.1, paper),
                ]
            case .faceVerySatisfied: face(mouthY: 0.5, from: 0.1, to: 0.9, radius: 0.28)
            case .faceSatisfied: face(mouthY: 0.5, from: 0.25, to: 0.75, radius: 0.24)
            case .faceDissatisfied: face(mouthY: 0.9, from: 1.3, to: 1.7, radius: 0.24)
            case .faceVeryDissatisfied: face(mouthY: 0.92, from: 1.2, to: 1.8, radius: 0.26)
            }
        }

        /// A round face: the mouth is an arc of the circle around (0.5, `mouthY`) from `from` to `to` (in turns of
        /// pi, clockwise from three o'clock: 0-1 is a smile's lower half, 1-2 a frown's upper half).
        func face(mouthY: Double, from: Double, to: Double, radius: Double) -> [DisplayItem] {
            [
                dot(0.5, 0.5, 0.47, ink), dot(0.34, 0.38, 0.07, paper), dot(0.66, 0.38, 0.07, paper),
                .arc(
                    center: p(0.5, mouthY), radius: radius * side, from: from * .pi, to: to * .pi,
                    width: 0.08 * side, paper),
            ]
        }
    }
}
