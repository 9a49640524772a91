import CLibFuzzer
import FuzzTargets
import Glibc

/// `kiosk-fuzz --target=NAME [libFuzzer flags] [corpus folders]`: one libFuzzer binary for every target in
/// FuzzTargets. libFuzzer ignores flags that start with `--`, and keeps them for the processes it starts itself
/// (`-fork`, `-jobs`), so the target is named that way. `kiosk-fuzz --list` prints the targets.
@main
enum KioskFuzz {
    nonisolated(unsafe) static var target: FuzzTarget?

    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.contains("--list") {
            for target in FuzzTarget.all {
                print(target.name + String(repeating: " ", count: max(1, 20 - target.name.count)) + target.summary)
            }
            exit(0)
        }
        guard let name = arguments.first(where: { $0.hasPrefix("--target=") })?.dropFirst("--target=".count),
            let target = FuzzTarget.named(String(name))
        else {
            print("usage: kiosk-fuzz --target=NAME [libFuzzer flags] [corpus...]; kiosk-fuzz --list names them")
            exit(2)
        }
        Self.target = target
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}

/// libFuzzer's callback; also exported as `LLVMFuzzerTestOneInput`, which libFuzzer's own (unused) main refers to.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    KioskFuzz.target?.run(bytes)
    return 0
}
