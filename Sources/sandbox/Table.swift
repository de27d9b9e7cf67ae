/// Rows printed as aligned columns, three spaces apart, as Docker's and runc's tables.
enum Table {
    static func text(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count + 3)
            }.joined() + "\n"
        }.joined()
    }
}
