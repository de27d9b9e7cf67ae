/// Encodes a value into a `JSONValue` tree whose objects keep their members in the order `encode(to:)` wrote
/// them: a synthesized `encode(to:)` writes properties in declaration order, and the OCI types declare theirs in
/// the order of the spec's Go types, the order runc writes. Optionals that are nil are left out, as Go's
/// `omitempty` leaves them out; a dictionary's keys come sorted, as Go writes a map's.
enum JSONValueEncoder {
    static func encode(_ value: some Encodable) throws -> JSONValue {
        let root = Node()
        try TreeEncoder(node: root, codingPath: []).encode(value)
        return root.json
    }
}

/// A dictionary writes its members in its hash order, which changes from run to run: an object written
/// through the standard library's own key type, which only a dictionary uses and which it does not name, is
/// sorted. Known by its identity, learned once from an empty dictionary, rather than by asking of each value
/// whether it is a dictionary: each new type asked about made the runtime scan every protocol conformance in
/// the binary (a few dozen microseconds each, a dozen types in a container's record).
private let dictionaryKey: ObjectIdentifier = {
    let probe = KeyTypeProbe()
    try? [String: String]().encode(to: probe)
    return probe.keyType.value!
}()

/// Records the key type of the first keyed container asked of it.
private struct KeyTypeProbe: Encoder {
    final class Box { var value: ObjectIdentifier? }
    let keyType = Box()
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        keyType.value = ObjectIdentifier(type)
        return KeyedEncodingContainer(ObjectWriter<Key>(node: Node(), codingPath: []))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { ArrayWriter(node: Node(), codingPath: []) }
    func singleValueContainer() -> any SingleValueEncodingContainer { TreeEncoder(node: Node(), codingPath: []) }
}

/// One value under construction; containers hold it by reference because a nested container keeps writing
/// into it after its parent has moved on.
private final class Node {
    enum Content {
        case scalar(JSONValue)
        case object([(key: String, node: Node)])
        case array([Node])
    }

    /// A type that encodes nothing comes out as an empty object, as Foundation's encoder writes it.
    var content = Content.object([])
    /// A dictionary's members, written in key order.
    var sorted = false

    var json: JSONValue {
        switch content {
        case .scalar(let value): value
        case .object(let members):
            .object((sorted ? members.sorted { $0.key < $1.key } : members).map { ($0.key, $0.node.json) })
        case .array(let elements): .array(elements.map(\.json))
        }
    }

    /// The node for `key`, appended in order; writing a key again replaces its value where it stands.
    func member(_ key: String) -> Node {
        var members: [(key: String, node: Node)] = []
        if case .object(let existing) = content { members = existing }
        let node = Node()
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].node = node
        } else {
            members.append((key, node))
        }
        content = .object(members)
        return node
    }

    func element() -> Node {
        var elements: [Node] = []
        if case .array(let existing) = content { elements = existing }
        let node = Node()
        elements.append(node)
        content = .array(elements)
        return node
    }
}

private struct TreeEncoder: Encoder, SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = node.content {} else { node.content = .object([]) }
        if ObjectIdentifier(type) == dictionaryKey { node.sorted = true }
        return KeyedEncodingContainer(ObjectWriter<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = node.content {} else { node.content = .array([]) }
        return ArrayWriter(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeNil() { node.content = .scalar(.null) }
    func encode(_ value: Bool) { node.content = .scalar(.bool(value)) }
    func encode(_ value: String) { node.content = .scalar(.string(value)) }
    func encode(_ value: Double) throws { try floatingPoint(value) }
    func encode(_ value: Float) throws { try floatingPoint(value) }
    func encode(_ value: Int) { integer(value) }
    func encode(_ value: Int8) { integer(value) }
    func encode(_ value: Int16) { integer(value) }
    func encode(_ value: Int32) { integer(value) }
    func encode(_ value: Int64) { integer(value) }
    func encode(_ value: UInt) { integer(value) }
    func encode(_ value: UInt8) { integer(value) }
    func encode(_ value: UInt16) { integer(value) }
    func encode(_ value: UInt32) { integer(value) }
    func encode(_ value: UInt64) { integer(value) }
    func encode<T: Encodable>(_ value: T) throws { try value.encode(to: self) }

    private func integer(_ value: some FixedWidthInteger) { node.content = .scalar(.number(String(value))) }

    private func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(_ value: T) throws {
        guard value.isFinite else {
            let context = EncodingError.Context(codingPath: codingPath, debugDescription: "JSON has no \(value)")
            throw EncodingError.invalidValue(value, context)
        }
        node.content = .scalar(.number(value.description))
    }
}

private struct ObjectWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    private func member(_ key: Key) -> TreeEncoder {
        TreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }

    func encodeNil(forKey key: Key) { member(key).encodeNil() }
    func encode(_ value: Bool, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: String, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: Double, forKey key: Key) throws { try member(key).encode(value) }
    func encode(_ value: Float, forKey key: Key) throws { try member(key).encode(value) }
    func encode(_ value: Int, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: Int8, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: Int16, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: Int32, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: Int64, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: UInt, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: UInt8, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: UInt16, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: UInt32, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: UInt64, forKey key: Key) { member(key).encode(value) }
    func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try member(key).encode(value) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                               forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        member(key).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { member(key).unkeyedContainer() }

    func superEncoder() -> any Encoder {
        TreeEncoder(node: node.member("super"), codingPath: codingPath + [NameKey("super")])
    }

    func superEncoder(forKey key: Key) -> any Encoder { member(key) }
}

private struct ArrayWriter: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    var count: Int {
        if case .array(let elements) = node.content { return elements.count }
        return 0
    }

    private func element() -> TreeEncoder {
        let index = count
        return TreeEncoder(node: node.element(), codingPath: codingPath + [IndexKey(index)])
    }

    func encodeNil() { element().encodeNil() }
    func encode(_ value: Bool) { element().encode(value) }
    func encode(_ value: String) { element().encode(value) }
    func encode(_ value: Double) throws { try element().encode(value) }
    func encode(_ value: Float) throws { try element().encode(value) }
    func encode(_ value: Int) { element().encode(value) }
    func encode(_ value: Int8) { element().encode(value) }
    func encode(_ value: Int16) { element().encode(value) }
    func encode(_ value: Int32) { element().encode(value) }
    func encode(_ value: Int64) { element().encode(value) }
    func encode(_ value: UInt) { element().encode(value) }
    func encode(_ value: UInt8) { element().encode(value) }
    func encode(_ value: UInt16) { element().encode(value) }
    func encode(_ value: UInt32) { element().encode(value) }
    func encode(_ value: UInt64) { element().encode(value) }
    func encode<T: Encodable>(_ value: T) throws { try element().encode(value) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        element().container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { element().unkeyedContainer() }

    func superEncoder() -> any Encoder { element() }
}
