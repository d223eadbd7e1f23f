#include <catch2/catch.hpp>

#include "crmkit/io/csv_reader.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "crmkit/core/error.hpp"
#include "support/temp_file.hpp"

using crmkit::Error;
using crmkit::ParseError;
using crmkit::io::CsvFormat;
using crmkit::io::CsvReader;
using crmkit::io::CsvWriter;

namespace {

const std::filesystem::path data_dir = std::filesystem::path(CRMKIT_TEST_DATA_DIR) / "io";

using Rows = std::vector<std::vector<std::string>>;

Rows read_all(CsvReader& reader) {
  Rows rows;
  std::vector<std::string_view> fields;
  while (reader.next(fields)) rows.emplace_back(fields.begin(), fields.end());
  return rows;
}

Rows read_text(const std::string& text, CsvFormat format = {}) {
  std::istringstream in(text);
  CsvReader reader(in, "text.csv", format);
  return read_all(reader);
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The ParseError that reading every row of `reader` throws first.
ParseError first_error(CsvReader& reader) {
  std::vector<std::string_view> fields;
  try {
    while (reader.next(fields)) {
    }
  } catch (const ParseError& error) {
    return error;
  }
  FAIL("expected a ParseError");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("CsvReader reads the header and the rows with their lines", "[io]") {
  CsvReader reader(data_dir / "purchases_default.csv");
  REQUIRE(reader.columns() == std::vector<std::string>{"customer_id", "timestamp", "amount",
                                                       "currency", "order_ref", "quantity",
                                                       "product_ref"});
  CHECK(reader.column_index("amount") == 2u);
  CHECK_FALSE(reader.column_index("Amount").has_value());
  std::vector<std::string_view> fields;
  REQUIRE(reader.next(fields));
  CHECK(reader.line() == 2);
  CHECK(fields[0] == "C-1001");
  CHECK(fields[2] == "129.90");
  CHECK(reader.column_of(0) == 1);
  CHECK(reader.column_of(1) == 8);  // after "C-1001,"
  const Rows rest = read_all(reader);
  CHECK(rest.size() == 9);
  CHECK(reader.line() == 11);
  CHECK(rest.back()[6].empty());  // the last field of the last row is empty
  CHECK(reader.bytes_total() == std::filesystem::file_size(data_dir / "purchases_default.csv"));
  CHECK(reader.bytes_read() == reader.bytes_total());
}

TEST_CASE("CsvReader unquotes fields with delimiters, doubled quotes and line breaks", "[io]") {
  CsvReader reader(data_dir / "quoted.csv");
  std::vector<std::string_view> fields;
  REQUIRE(reader.next(fields));
  CHECK(fields[1] == "Smith, John");
  CHECK(fields[2] == "He said \"hi\"");
  CHECK(reader.column_of(2) == 17);
  REQUIRE(reader.next(fields));
  CHECK(reader.line() == 3);
  CHECK(fields[2] == "line one\nline two");
  REQUIRE(reader.next(fields));
  CHECK(reader.line() == 5);  // the quoted line break moved this row down one line
  CHECK(fields[1].empty());
  CHECK(fields[2] == "ends with comma,");
  CHECK_FALSE(reader.next(fields));
}

TEST_CASE("CsvReader keeps CRLF inside quotes and reports the line of a field after it", "[io]") {
  std::istringstream in("a,b,c\r\n1,\"x\r\ny\",z\r\n2,p,q\r\n");
  CsvReader reader(in, "crlf.csv");
  std::vector<std::string_view> fields;
  REQUIRE(reader.next(fields));
  CHECK(fields[1] == "x\r\ny");
  CHECK(fields[2] == "z");
  CHECK(reader.line_of(2) == 3);
  CHECK(reader.column_of(2) == 4);  // `y",z`: z is the 4th byte of line 3
  REQUIRE(reader.next(fields));
  CHECK(reader.line() == 4);
  CHECK(fields[2] == "q");
}

TEST_CASE("CsvReader strips a byte-order mark and CRLF line ends", "[io]") {
  CsvReader plain(data_dir / "purchases_default.csv");
  CsvReader bom(data_dir / "purchases_bom_crlf.csv");
  CHECK(bom.columns() == plain.columns());
  const Rows from_bom = read_all(bom);
  CHECK(from_bom == read_all(plain));
  CHECK(from_bom.front()[6] == "SKU-CHAIR-01");  // no trailing CR
}

TEST_CASE("CsvReader skips empty lines and reads a last line without a line end", "[io]") {
  const Rows rows = read_text("id,name\n\n1,a\r\n\r\n2,b");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == std::vector<std::string>{"1", "a"});
  CHECK(rows[1] == std::vector<std::string>{"2", "b"});
}

TEST_CASE("CsvReader reads an empty last field and a row of empty fields", "[io]") {
  const Rows rows = read_text("a,b,c\n1,,\n,,\n\"\",x,\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == std::vector<std::string>{"1", "", ""});
  CHECK(rows[1] == std::vector<std::string>{"", "", ""});
  CHECK(rows[2] == std::vector<std::string>{"", "x", ""});
}

TEST_CASE("CsvReader uses another delimiter and works without a header", "[io]") {
  CsvFormat format;
  format.delimiter = ';';
  format.header = false;
  std::istringstream in("1;\"a;b\";x\n2;c;y\n");
  CsvReader reader(in, "semicolons.csv", format);
  CHECK(reader.columns().empty());
  const Rows rows = read_all(reader);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0][1] == "a;b");
  CHECK(rows[1][2] == "y");

  std::istringstream uneven("1;2;3\n4;5\n");
  CsvReader uneven_reader(uneven, "uneven.csv", format);
  const ParseError error = first_error(uneven_reader);
  CHECK(error.line() == 2);
  CHECK(std::string(error.what()).find("first row has 3") != std::string::npos);
}

TEST_CASE("CsvReader rejects a quote inside an unquoted field, with line and column", "[io]") {
  CsvReader reader(data_dir / "malformed_stray_quote.csv");
  const ParseError error = first_error(reader);
  CHECK(error.source() == (data_dir / "malformed_stray_quote.csv").string());
  CHECK(error.line() == 2);
  CHECK(error.column() == 5);
  CHECK(error.value() == "ab\"c");
  CHECK_THAT(error.what(), Catch::Contains("malformed_stray_quote.csv:2:5: 'ab\"c' has a quote "
                                           "inside an unquoted field"));
  // The reader stands on the next line, so a caller may skip the bad row.
  std::vector<std::string_view> fields;
  REQUIRE(reader.next(fields));
  CHECK(reader.line() == 3);
  CHECK(fields[1] == "ok");
}

TEST_CASE("CsvReader rejects text after a closing quote, with line and column", "[io]") {
  CsvReader reader(data_dir / "malformed_after_quote.csv");
  const ParseError error = first_error(reader);
  CHECK(error.line() == 3);
  CHECK(error.column() == 11);
  CHECK(error.value() == "\"quoted\"tail");
  CHECK_THAT(error.what(), Catch::Contains("malformed_after_quote.csv:3:11:"));
  CHECK_THAT(error.what(), Catch::Contains("text after the closing quote"));
  std::vector<std::string_view> fields;
  REQUIRE(reader.next(fields));
  CHECK(reader.line() == 4);
  CHECK(fields[0] == "3");
}

TEST_CASE("CsvReader rejects an unterminated quote at its opening", "[io]") {
  CsvReader reader(data_dir / "malformed_unterminated.csv");
  const ParseError error = first_error(reader);
  CHECK(error.line() == 3);
  CHECK(error.column() == 3);
  CHECK(error.value() == "\"never closed,x");
  CHECK_THAT(error.what(), Catch::Contains("malformed_unterminated.csv:3:3:"));
  CHECK_THAT(error.what(), Catch::Contains("never closed"));
  // Everything after the opening quote was inside it: nothing is left to read.
  std::vector<std::string_view> fields;
  CHECK_FALSE(reader.next(fields));
}

TEST_CASE("CsvReader rejects rows with too many or too few fields", "[io]") {
  CsvReader reader(data_dir / "malformed_field_count.csv");
  std::vector<std::string_view> fields;
  REQUIRE(reader.next(fields));

  const ParseError extra = first_error(reader);
  CHECK(extra.line() == 3);
  CHECK(extra.column() == 12);
  CHECK(extra.value() == "fields");
  CHECK_THAT(extra.what(), Catch::Contains("malformed_field_count.csv:3:12: 'fields' is an extra "
                                           "field: the row has 4 fields where the header has 3"));

  const ParseError missing = first_error(reader);
  CHECK(missing.line() == 4);
  CHECK(missing.column() == 6);
  CHECK(missing.value() == "few");
  CHECK_THAT(missing.what(), Catch::Contains("(missing: note)"));

  REQUIRE(reader.next(fields));
  CHECK(reader.line() == 5);
  CHECK(fields[0] == "4");
}

TEST_CASE("CsvReader decompresses gzip files and streams", "[io]") {
  CsvReader plain(data_dir / "online_retail_sample.csv");
  const Rows expected = read_all(plain);
  REQUIRE(expected.size() == 29);

  SECTION("from a .gz file") {
    CsvReader gz(data_dir / "online_retail_sample.csv.gz");
    CHECK(gz.columns() == plain.columns());
    CHECK(read_all(gz) == expected);
    CHECK(gz.bytes_total() == std::filesystem::file_size(data_dir / "online_retail_sample.csv.gz"));
    CHECK(gz.bytes_read() == gz.bytes_total());
  }
  SECTION("from a stream, recognised by its magic bytes") {
    std::istringstream in(file_bytes(data_dir / "online_retail_sample.csv.gz"));
    CsvReader gz(in, "upload");
    CHECK(gz.columns() == plain.columns());
    CHECK(read_all(gz) == expected);
    CHECK(gz.bytes_total() == 0);
  }
}

TEST_CASE("CsvReader reports corrupt gzip and .gz files that are not gzip", "[io]") {
  SECTION("truncated gzip data") {
    const std::string bytes = file_bytes(data_dir / "online_retail_sample.csv.gz");
    std::istringstream in(bytes.substr(0, bytes.size() / 2));
    REQUIRE_THROWS_WITH(
        [&] {
          CsvReader reader(in, "cut.csv.gz");
          std::vector<std::string_view> fields;
          while (reader.next(fields)) {
          }
        }(),
        Catch::Contains("cut.csv.gz: the gzip data is corrupt or truncated"));
  }
  SECTION("a .gz name on plain text") {
    const crmkit::test::TempDir dir("io-reader");
    const auto path = dir.path() / "plain.csv.gz";
    std::ofstream(path) << "a,b\n1,2\n";
    REQUIRE_THROWS_AS(CsvReader(path), Error);
    REQUIRE_THROWS_WITH(CsvReader(path), Catch::Contains("is not gzip data"));
  }
  SECTION("a missing file") {
    REQUIRE_THROWS_WITH(CsvReader(data_dir / "no_such_file.csv"),
                        Catch::Contains("no_such_file.csv: cannot open the file"));
  }
}

TEST_CASE("CsvReader reads rows across chunk boundaries and rows longer than a chunk", "[io]") {
  // About 2.5 MiB: rows straddle the 1 MiB chunk boundaries, quoted fields with doubled quotes
  // and line breaks among them, and one row of 1.5 MiB forces the buffer to grow.
  std::string text = "id,text,twice\n";
  std::vector<std::string> expected_text;
  for (int i = 0; i < 30000; ++i) {
    std::string value = "row " + std::to_string(i) + (i % 7 == 0 ? " \"q\"\nnext" : " plain");
    expected_text.push_back(value);
    std::string quoted;
    for (const char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    text += std::to_string(i) + ",\"" + quoted + "\"," + std::to_string(2 * i) + "\n";
    if (i == 15000) {
      const std::string huge(1536 * 1024, 'x');
      expected_text.push_back(huge);
      text += "-1," + huge + ",-2\n";
    }
  }
  std::istringstream in(text);
  CsvReader reader(in, "big.csv");
  std::vector<std::string_view> fields;
  std::size_t row = 0;
  while (reader.next(fields)) {
    REQUIRE(row < expected_text.size());
    REQUIRE(fields[1] == expected_text[row]);
    const auto id = std::stoll(std::string(fields[0]));
    REQUIRE(std::stoll(std::string(fields[2])) == 2 * id);
    ++row;
  }
  CHECK(row == expected_text.size());
  CHECK(reader.bytes_read() == text.size());
}

TEST_CASE("CsvWriter quotes only what needs quoting, and reads back", "[io]") {
  std::ostringstream out;
  CsvWriter writer(out);
  writer.row({"id", "name", "note"});
  writer.row(std::vector<std::string>{"1", "Smith, John", "He said \"hi\""});
  writer.row(std::vector<std::string_view>{"2", " padded ", "two\nlines"});
  writer.row({"3", "", "cr\rhere"});
  CHECK(out.str() ==
        "id,name,note\n"
        "1,\"Smith, John\",\"He said \"\"hi\"\"\"\n"
        "2,\" padded \",\"two\nlines\"\n"
        "3,,\"cr\rhere\"\n");
  const Rows rows = read_text(out.str());
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == std::vector<std::string>{"1", "Smith, John", "He said \"hi\""});
  CHECK(rows[1] == std::vector<std::string>{"2", " padded ", "two\nlines"});
  CHECK(rows[2] == std::vector<std::string>{"3", "", "cr\rhere"});
}

TEST_CASE("CsvWriter keeps a row of one empty field and honours its delimiter", "[io]") {
  std::ostringstream out;
  CsvWriter writer(out, ';');
  writer.row({"only"});
  writer.row({""});
  writer.row({"a;b"});
  CHECK(out.str() == "only\n\"\"\n\"a;b\"\n");
  CsvFormat format;
  format.delimiter = ';';
  const Rows rows = read_text(out.str(), format);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == std::vector<std::string>{""});
  CHECK(rows[1] == std::vector<std::string>{"a;b"});
}
