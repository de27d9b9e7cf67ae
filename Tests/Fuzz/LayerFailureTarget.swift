import CSandbox
import SandboxLinux
import SandboxPolicy

extension FuzzTarget {
    /// The failure record of a layer's extracting child, whose entry paths and libarchive's words about them a
    /// hostile layer writes (and which a child it took over writes whole), in sections split at `--` lines: the
    /// step, the path, the message, the errno. Whatever the bytes, sandbox prints one line of printable text.
    static let layerFailure = FuzzTarget(name: "layer-failure") { bytes in
        let sections = FuzzInput.byteSections(bytes)
        var record = sbx_layer_failure()
        withUnsafeMutableBytes(of: &record.step) { copy(sections[0], into: $0) }
        if sections.count > 1 { withUnsafeMutableBytes(of: &record.path) { copy(sections[1], into: $0) } }
        if sections.count > 2 { withUnsafeMutableBytes(of: &record.message) { copy(sections[2], into: $0) } }
        record.error = sections.count > 3 ? Int32(FuzzInput.text(sections[3])) ?? 0 : 0
        let line = LayerUnpacker.error(record).description
        if let scalar = line.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            fatalError("layer-failure: the line holds U+\(String(scalar.value, radix: 16)): \(line.debugDescription)")
        }
    }

    /// As the C side fills a field: at most its size less one, NUL-terminated.
    private static func copy(_ bytes: [UInt8], into field: UnsafeMutableRawBufferPointer) {
        let count = min(bytes.count, field.count - 1)
        field.copyBytes(from: bytes.prefix(count))
        field[count] = 0
    }
}
