import ArgumentParser
import Core
import Drivers
import Foundation
import KioskKit

/// `kiosk screens`: every screen of the kiosk drawn as PNG for a panel of a given size, through the same
/// framebuffer path the kiosk uses, with a contact sheet: a technician checks a new panel size, a designer the flow.
struct ScreensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screens",
        abstract: "Draw every kiosk screen into PNG files (and a contact sheet) for a panel of a given size.")

    @Option(name: .long, help: "Folder for the PNG files (created if missing).")
    var output: String

    @Option(name: .long, help: "The panel's pixels, WIDTHxHEIGHT in its native orientation.")
    var pixels: String = "1024x600"

    @Option(name: .long, help: "The panel's visible size in mm, WIDTHxHEIGHT in its native orientation.")
    var mm: String = "222x125"

    @Option(name: .long, help: "Rotation of the drawing on the panel, clockwise: 0, 90, 180 or 270.")
    var rotation: Int = 0

    @Flag(name: .long, help: "Also write contact-sheet.png with all screens.")
    var contactSheet = false

    @Flag(
        name: .long,
        help:
            "Also write layout.json: every button of every screen with its label and frame in drawn pixels (where a test or a technician touches)."
    )
    var layout = false

    @Option(
        name: .long,
        help:
            "Instead of drawing the gallery, make --output's contact sheet from the PNG screens in this folder (a session's snapshots)."
    )
    var from: String?

    func run() async throws {
        guard let (width, height) = Self.pair(pixels).map({ (Int($0), Int($1)) }), width > 0, height > 0 else {
            throw ValidationError("--pixels takes WIDTHxHEIGHT, e.g. 1024x600")
        }
        guard let (widthMM, heightMM) = Self.pair(mm) else {
            throw ValidationError("--mm takes WIDTHxHEIGHT in millimetres, e.g. 222x125")
        }
        guard let rotation = ScreenRotation(rawValue: rotation) else {
            throw ValidationError("--rotation takes 0, 90, 180 or 270")
        }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let renderer = try Renderer()
        if let from {
            let names = try FileManager.default.contentsOfDirectory(atPath: from)
                .filter { $0.hasSuffix(".png") && $0 != "contact-sheet.png" }.sorted()
            guard !names.isEmpty else { throw ValidationError("no PNG screens in \(from)") }
            let drawn = rotation.drawnSize(width: Double(width), height: Double(height))
            let screens = names.map { (name: String($0.dropLast(4)), path: from + "/" + $0) }
            try Data(try ContactSheet.png(screens, size: drawn, renderer: renderer))
                .write(to: URL(fileURLWithPath: output + "/contact-sheet.png"))
            print("contact sheet of \(screens.count) screens: \(output)/contact-sheet.png")
            return
        }
        let display = try ScreenPresenter(
            driver: try FramebufferDriver(
                framebuffer: try Framebuffer.virtual(width: width, height: height), rotation: rotation,
                fonts: renderer.fonts),
            size: SizeMM(rotation.drawnSize(width: widthMM, height: heightMM)), renderer: renderer,
            animatesIdle: false)
        var written: [(name: String, path: String)] = []
        // Menus paged as the kiosk pages them on this panel (`policy.menuPageSize`).
        let pageSize = try ScreenLayout(size: SizeMM(rotation.drawnSize(width: widthMM, height: heightMM)))
            .choiceCapacity()
        for (name, screen) in ScreenGallery.screens(pageSize: pageSize) {
            await display.show(screen)
            let path = output + "/" + name + ".png"
            try Data(try await display.png()).write(to: URL(fileURLWithPath: path))
            written.append((name, path))
        }
        print(
            "\(written.count) screens drawn for \(width)x\(height) px, \(mm) mm, rotation \(rotation.rawValue): \(output)"
        )
        if layout {
            let drawnPixels = rotation.drawnSize(width: Double(width), height: Double(height))
            let drawnMM = SizeMM(rotation.drawnSize(width: widthMM, height: heightMM))
            try Data(try Self.layoutJSON(size: drawnMM, pixelsPerMM: drawnPixels.width / drawnMM.width))
                .write(to: URL(fileURLWithPath: output + "/layout.json"))
            print("buttons of every screen: \(output)/layout.json")
        }
        if contactSheet {
            let drawn = rotation.drawnSize(width: Double(width), height: Double(height))
            let sheet = try ContactSheet.png(written, size: drawn, renderer: renderer)
            try Data(sheet).write(to: URL(fileURLWithPath: output + "/contact-sheet.png"))
            print("contact sheet: \(output)/contact-sheet.png")
        }
    }

    /// `{"05-menu": [{"button": "letter(\"S-41\")", "label": "1. Surat ...", "x": 12, "y": 300, "width": ...}]}`:
    /// the gallery's buttons in drawn pixels (rounded), as the layout places them for a panel of `size`.
    static func layoutJSON(size: SizeMM, pixelsPerMM scale: Double) throws -> Data {
        struct Placed: Encodable {
            let button: String
            let label: String
            let x, y, width, height: Int
        }
        let layout = try ScreenLayout(size: size)
        var screens: [String: [Placed]] = [:]
        for (name, screen) in ScreenGallery.screens(pageSize: layout.choiceCapacity()) {
            screens[name] = layout.layout(screen).elements.compactMap { element in
                guard case .button(let button) = element.kind else { return nil }
                let f = element.frame
                return Placed(
                    button: "\(button.id)", label: button.label, x: Int((f.x * scale).rounded()),
                    y: Int((f.y * scale).rounded()), width: Int((f.width * scale).rounded()),
                    height: Int((f.height * scale).rounded()))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(screens)
    }

    static func pair(_ text: String) -> (Double, Double)? {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let a = Double(parts[0]), let b = Double(parts[1]), a > 0, b > 0 else { return nil }
        return (a, b)
    }
}

extension SizeMM {
    init(_ size: Size) { self.init(width: size.width, height: size.height) }
}
