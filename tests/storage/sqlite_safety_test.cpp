#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crmkit/core/error.hpp"
#include "crmkit/domain/validation.hpp"
#include "crmkit/storage/sqlite_store.hpp"
#include "crmkit/testing/store_contract.hpp"
#include "support/temp_file.hpp"

// A bare connection, to run PRAGMA integrity_check and count rows behind the store's back.
#include "../../src/storage/sqlite/raw_connection.hpp"

using crmkit::ConflictError;
using crmkit::Customer;
using crmkit::CustomerId;
using crmkit::StorageError;
using crmkit::ValidationError;
using crmkit::storage::SqliteOptions;
using crmkit::storage::SqliteStore;
using crmkit::storage::StoreCounts;
using crmkit::storage::Transaction;
using crmkit::storage::sqlite::RawConnection;
using namespace crmkit::testing::fixtures;

namespace {

using crmkit::test::TempDir;

// =============================================================================================
// Crash safety

constexpr int batch_size = 2000;
constexpr int rounds = 20;
constexpr int max_batches_per_child = 40;  // a child left alone stops by itself

// The child's whole life: append numbered batches, one transaction each, and report every commit
// on the pipe. It never returns: it must not run the parent's Catch2 code after fork().
[[noreturn]] void run_writer(const std::string& path, CustomerId buyer, int first_batch, int fd) {
  try {
    SqliteStore store(path);
    const crmkit::Timestamp start = at("2024-01-01T00:00:00Z");
    for (int b = first_batch; b < first_batch + max_batches_per_child; ++b) {
      std::vector<crmkit::Purchase> batch;
      batch.reserve(batch_size);
      for (int i = 0; i < batch_size; ++i) {
        crmkit::Purchase p =
            purchase(buyer, start + std::chrono::seconds(b * batch_size + i), 100 + i);
        p.order_ref = "B" + std::to_string(b) + "-" + std::to_string(i);
        p.product_ref = "B" + std::to_string(b);
        batch.push_back(std::move(p));
      }
      Transaction tx = store.begin();
      store.append_purchases(batch);
      tx.commit();
      const std::string line = "committed " + std::to_string(b) + "\n";
      if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(3);
    }
  } catch (...) {
    _exit(2);
  }
  _exit(0);
}

// Reads "committed <k>" lines from a pipe.
class CommitReader {
 public:
  explicit CommitReader(int fd) : fd_(fd) {}
  // Blocks until one more commit is reported; false at end of file.
  bool next(std::vector<int>& committed) {
    while (true) {
      const std::size_t newline = buffer_.find('\n');
      if (newline != std::string::npos) {
        const std::string line = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        REQUIRE(line.rfind("committed ", 0) == 0);
        committed.push_back(std::stoi(line.substr(10)));
        return true;
      }
      char chunk[256];
      const ssize_t got = ::read(fd_, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return false;
      buffer_.append(chunk, static_cast<std::size_t>(got));
    }
  }

 private:
  int fd_;
  std::string buffer_;
};

// Kills and reaps the child if the parent leaves early (a failed REQUIRE).
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0) kill_and_reap();
  }
  int kill_and_reap() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_;
};

// Rows per batch number, read with plain SQL.
std::map<int, std::int64_t> batch_sizes(const std::string& path) {
  RawConnection raw(path);
  std::map<int, std::int64_t> sizes;
  for (const auto& row : raw.rows("SELECT substr(product_ref, 2), count(*) FROM purchases "
                                  "GROUP BY product_ref")) {
    sizes[std::stoi(row.at(0).value())] = std::stoll(row.at(1).value());
  }
  return sizes;
}

}  // namespace

TEST_CASE("sqlite killed mid-write keeps every committed batch whole and no partial one",
          "[storage][safety]") {
  TempDir dir("crash");
  const std::string path = dir.file("crash.db");
  CustomerId buyer;
  {
    SqliteStore store(path);
    buyer = store.insert_customer(person("Crash", "Test")).id;
  }
  std::mt19937 random(20240229);  // fixed seed: the same kill points on every run
  std::uniform_int_distribution<int> batches_before_kill(0, 3);
  std::uniform_int_distribution<int> extra_delay_us(0, 30000);
  int next_batch = 0;
  int reported_total = 0;

  for (int round = 0; round < rounds; ++round) {
    INFO("round " << round);
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(fds[0]);
      run_writer(path, buyer, next_batch, fds[1]);
    }
    ::close(fds[1]);
    Child child(pid);
    CommitReader reader(fds[0]);
    std::vector<int> reported;
    const int wait_for = batches_before_kill(random);
    while (static_cast<int>(reported.size()) < wait_for && reader.next(reported)) {
    }
    ::usleep(static_cast<useconds_t>(extra_delay_us(random)));
    const int status = child.kill_and_reap();
    while (reader.next(reported)) {  // commits reported before the kill
    }
    ::close(fds[0]);
    const bool killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    const bool finished = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    REQUIRE((killed || finished));

    RawConnection raw(path);
    REQUIRE(raw.value("PRAGMA integrity_check") == std::optional<std::string>("ok"));
    REQUIRE(raw.value("PRAGMA foreign_key_check") == std::nullopt);
    const std::map<int, std::int64_t> sizes = batch_sizes(path);
    for (const int batch : reported) {
      INFO("reported batch " << batch);
      CHECK(sizes.count(batch) == 1);
    }
    for (const auto& [batch, size] : sizes) {
      INFO("batch " << batch);
      CHECK(size == batch_size);  // a batch is all there or not there at all
    }
    reported_total += static_cast<int>(reported.size());
    next_batch = sizes.empty() ? 0 : sizes.rbegin()->first + 1;
    // The store opens the file again and reads it.
    SqliteStore store(path);
    CHECK(store.counts().purchases == static_cast<std::int64_t>(sizes.size()) * batch_size);
  }
  CHECK(reported_total > 0);  // the children did commit work before being killed
}

// =============================================================================================
// Concurrency

namespace {

std::int64_t counter_of(const Customer& c) {
  return std::get<std::int64_t>(c.attributes.at("counter"));
}

}  // namespace

TEST_CASE("one sqlite store shared by threads: versions conflict cleanly, totals are exact",
          "[storage][safety]") {
  TempDir dir("threads");
  SqliteStore store(dir.file("threads.db"));
  Customer shared = person("Shared", "Counter");
  shared.attributes["counter"] = std::int64_t{0};
  const CustomerId shared_id = store.insert_customer(shared).id;

  constexpr int threads = 4;
  constexpr int per_thread = 60;
  std::atomic<int> unexpected{0};
  std::atomic<int> conflicts{0};
  std::atomic<int> mismatches{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      try {
        for (int i = 0; i < per_thread; ++i) {
          const Customer mine =
              store.insert_customer(person("Thread " + std::to_string(t), std::to_string(i)));
          std::vector<crmkit::Purchase> bought = {
              purchase(mine.id, at("2024-03-01T00:00:00Z") + std::chrono::minutes(i), t * 1000 + i),
              purchase(mine.id, at("2024-03-02T00:00:00Z") + std::chrono::minutes(i), 1)};
          store.append_purchases(bought);
          if (store.get_customer(mine.id) != mine) ++mismatches;
          // Read, change, write back; a stale version is the only error allowed, and retried.
          while (true) {
            Customer current = *store.get_customer(shared_id);
            current.attributes["counter"] = counter_of(current) + 1;
            try {
              store.update_customer(current);
              break;
            } catch (const ConflictError&) {
              ++conflicts;
            }
          }
          crmkit::storage::CustomerQuery page;
          page.limit = 5;
          if (store.find_customers(page).items.empty()) ++mismatches;
          if (i % 10 == 0 && store.scan_purchases({}).size() == 0) ++mismatches;
        }
      } catch (...) {
        ++unexpected;
      }
    });
  }
  for (std::thread& worker : workers) worker.join();

  CHECK(unexpected == 0);
  CHECK(mismatches == 0);
  CHECK(counter_of(*store.get_customer(shared_id)) == threads * per_thread);
  CHECK(store.get_customer(shared_id)->version == 1 + threads * per_thread);
  const StoreCounts counts = store.counts();
  CHECK(counts.customers == 1 + threads * per_thread);
  CHECK(counts.purchases == 2 * threads * per_thread);
  const crmkit::storage::PurchaseColumns columns = store.scan_purchases({});
  std::int64_t expected_sum = 0;
  for (int t = 0; t < threads; ++t) {
    for (int i = 0; i < per_thread; ++i) expected_sum += t * 1000 + i + 1;
  }
  CHECK(std::accumulate(columns.amounts_minor.begin(), columns.amounts_minor.end(),
                        std::int64_t{0}) == expected_sum);
  INFO("conflicts retried: " << conflicts.load());
}

TEST_CASE("two sqlite stores on one file: writes serialize through the busy timeout",
          "[storage][safety]") {
  TempDir dir("two-connections");
  const std::string path = dir.file("shared.db");
  SqliteStore first(path);
  SqliteStore second(path);
  constexpr int per_thread = 40;
  std::atomic<int> unexpected{0};
  std::vector<std::string> errors(2);
  const auto writer = [&](SqliteStore& store, int which) {
    try {
      for (int i = 0; i < per_thread; ++i) {
        Transaction tx = store.begin();
        const Customer c =
            store.insert_customer(person("Connection " + std::to_string(which), std::to_string(i)));
        std::vector<crmkit::Purchase> bought = {purchase(c.id, at("2024-03-01T00:00:00Z"), 10)};
        store.append_purchases(bought);
        tx.commit();
        (void)store.counts();  // a read between writes, on this connection's own snapshot
      }
    } catch (const std::exception& error) {
      ++unexpected;
      errors[static_cast<std::size_t>(which)] = error.what();
    }
  };
  std::thread a(writer, std::ref(first), 0);
  std::thread b(writer, std::ref(second), 1);
  a.join();
  b.join();
  INFO("errors: " << errors[0] << " | " << errors[1]);
  CHECK(unexpected == 0);
  CHECK(first.counts() == second.counts());
  CHECK(first.counts().customers == 2 * per_thread);
  CHECK(second.counts().purchases == 2 * per_thread);
  RawConnection raw(path);
  CHECK(raw.value("PRAGMA integrity_check") == std::optional<std::string>("ok"));
}

TEST_CASE(
    "a writer kept waiting past its busy timeout gets StorageError(busy); readers do not wait",
    "[storage][safety]") {
  TempDir dir("busy");
  const std::string path = dir.file("busy.db");
  SqliteStore holder(path);
  const Customer ada = holder.insert_customer(person("Ada", "Lovelace"));
  SqliteOptions impatient;
  impatient.busy_timeout = std::chrono::milliseconds(50);
  SqliteStore other(path, impatient);

  Transaction tx = holder.begin();  // takes the write lock for its whole life
  holder.insert_customer(person("Uncommitted", "Write"));
  try {
    other.insert_customer(person("Grace", "Hopper"));
    FAIL("expected a StorageError");
  } catch (const StorageError& error) {
    CHECK(error.kind() == StorageError::Kind::busy);
    CHECK(error.backend() == "sqlite");
    CHECK(error.native_code() % 256 == 5);  // SQLITE_BUSY, possibly extended
  }
  // WAL: the other connection still reads, from the last committed state.
  CHECK(other.get_customer(ada.id) == ada);
  CHECK(other.counts().customers == 1);
  tx.commit();
  CHECK(other.counts().customers == 2);
  CHECK(other.insert_customer(person("Grace", "Hopper")).id.valid());
}

// =============================================================================================
// Hostile text

namespace {

// Text that breaks naive storage: quoting, injection, escapes, LIKE wildcards, 4-byte UTF-8,
// NUL bytes, invalid UTF-8, line breaks and a 1 MiB value.
struct Hostile {
  std::string name;
  std::string text;
};

std::vector<Hostile> hostile_texts() {
  return {
      {"quotes", "O'Brien \"the\" `boss`"},
      {"injection", "'; DROP TABLE customers; --"},
      {"escaped quote", "\\\" and \\'"},
      {"backslashes", "C:\\path\\to\\\\share\\"},
      {"like wildcards", "100% _of_ %s"},
      {"4-byte utf-8", "🌿😀 𝄞 汉字 Ødegård"},
      {"nul inside", std::string("before\0after", 12)},
      {"invalid utf-8", "ok \xC3\x28 \xFF\xFE end"},
      {"line breaks", "first line\nsecond\r\nthird"},
      {"1 MiB", std::string(std::size_t{1} << 20, 'x')},
  };
}

// What a field accepts, as documented on the domain types.
enum class Accepts {
  single_line,  // valid UTF-8 without control characters, short (validate_text)
  multi_line,   // valid UTF-8, line breaks and tabs allowed, up to 1 MiB (interaction bodies)
  any_bytes,    // stored as given (attribute string values)
  key           // a-z, 0-9 and a few marks only (stage keys, attribute names)
};

bool printable_and_short(const Hostile& h) {
  return h.name != "nul inside" && h.name != "invalid utf-8" && h.name != "line breaks" &&
         h.name != "1 MiB";
}

bool accepted(Accepts accepts, const Hostile& h) {
  switch (accepts) {
    case Accepts::single_line:
      return printable_and_short(h);
    case Accepts::multi_line:
      return printable_and_short(h) || h.name == "line breaks" || h.name == "1 MiB";
    case Accepts::any_bytes:
      return true;
    case Accepts::key:
      return false;
  }
  return false;
}

// One text field of entity T: where it is, what it accepts, and the field a rejection names.
template <class T>
struct TextField {
  std::string field;
  Accepts accepts;
  std::function<void(T&, const std::string&)> set;
  std::function<std::string(const T&)> get;
};

// Everything the store holds, to prove that a rejected write changed nothing.
struct Snapshot {
  StoreCounts counts;
  std::vector<Customer> customers;
  std::vector<crmkit::Pipeline> pipelines;
  std::vector<crmkit::Deal> deals;
  std::vector<crmkit::Interaction> interactions;
  std::vector<crmkit::Purchase> purchases;
  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

Snapshot snapshot(crmkit::storage::Store& s) {
  Snapshot snap;
  snap.counts = s.counts();
  crmkit::storage::CustomerQuery cq;
  cq.include_deleted = true;
  cq.limit = crmkit::storage::max_page_size;
  snap.customers = s.find_customers(cq).items;
  snap.pipelines = s.list_pipelines();
  crmkit::storage::DealQuery dq;
  dq.limit = crmkit::storage::max_page_size;
  snap.deals = s.find_deals(dq).items;
  crmkit::storage::InteractionQuery iq;
  iq.limit = crmkit::storage::max_page_size;
  snap.interactions = s.find_interactions(iq).items;
  crmkit::storage::PurchaseQuery pq;
  pq.limit = crmkit::storage::max_page_size;
  snap.purchases = s.find_purchases(pq).items;
  return snap;
}

// The store calls for one entity.
template <class T>
struct Calls {
  std::function<T(const T&)> insert;
  std::function<T(const T&)> update;
  std::function<std::optional<T>(const T&)> get;
  std::function<bool(const T&)> remove;
};

// Writes `base` with each hostile text in each field, through an insert and through an update of
// `existing`: each write either stores the text byte for byte or throws ValidationError naming
// the field and leaves the store unchanged. Inserted records are removed once checked, so that
// unique keys stay free. Returns how many writes stored their text.
template <class T>
int exercise(crmkit::storage::Store& s, const T& base, T existing,
             const std::vector<TextField<T>>& fields, const Calls<T>& calls) {
  int stored = 0;
  for (const TextField<T>& f : fields) {
    for (const Hostile& h : hostile_texts()) {
      for (const bool as_update : {false, true}) {
        INFO("field " << f.field << ", text '" << h.name << "', "
                      << (as_update ? "update" : "insert"));
        T record = as_update ? existing : base;
        f.set(record, h.text);
        const bool expected = accepted(f.accepts, h);
        if (expected) {
          const T written = as_update ? calls.update(record) : calls.insert(record);
          const std::optional<T> read = calls.get(written);
          REQUIRE(read.has_value());
          CHECK(f.get(*read) == h.text);
          CHECK(*read == written);
          if (as_update) {
            existing = written;
          } else {
            REQUIRE(calls.remove(written));
          }
          ++stored;
          continue;
        }
        const Snapshot before = snapshot(s);
        try {
          if (as_update) {
            calls.update(record);
          } else {
            calls.insert(record);
          }
          FAIL("expected a ValidationError");
        } catch (const ValidationError& error) {
          CHECK(error.field() == f.field);
          CHECK_THAT(std::string(error.what()), Catch::Contains(f.field.substr(0, 100)));
        }
        CHECK(snapshot(s) == before);
      }
    }
  }
  return stored;
}

}  // namespace

TEST_CASE("sqlite stores hostile text byte for byte or rejects it naming the field",
          "[storage][safety]") {
  SqliteStore store(":memory:");
  crmkit::storage::Store& s = store;
  const Customer org = s.insert_customer(organization("Analytical Engines Ltd"));
  const Customer alice = s.insert_customer(person("Alice", "Martin"));
  const crmkit::Pipeline pipeline = s.insert_pipeline(sales_pipeline());
  const crmkit::Deal deal = s.insert_deal(open_deal(pipeline.id, org.id));
  int stored = 0;

  SECTION("customers") {
    Customer base = person("Hostile", "Text");
    base.emails = {{crmkit::Email("hostile@example.com"), "work", true}};
    base.phones = {{crmkit::Phone("+33 6 12 34 56 78"), "mobile", true}};
    base.addresses = {{{"1 rue de la Paix"}, "Paris", "IDF", "75002", "FR", "home", true}};
    base.memberships = {{org.id, "buyer"}};
    base.tags = {"plain"};
    base.attributes = {{"note", std::string("plain")}};
    using C = Customer;
    const std::vector<TextField<C>> fields = {
        {"customer.given_name", Accepts::single_line,
         [](C& c, const std::string& t) { c.given_name = t; },
         [](const C& c) { return c.given_name; }},
        {"customer.family_name", Accepts::single_line,
         [](C& c, const std::string& t) { c.family_name = t; },
         [](const C& c) { return c.family_name; }},
        {"customer.emails[0].label", Accepts::single_line,
         [](C& c, const std::string& t) { c.emails[0].label = t; },
         [](const C& c) { return c.emails[0].label; }},
        {"customer.phones[0].label", Accepts::single_line,
         [](C& c, const std::string& t) { c.phones[0].label = t; },
         [](const C& c) { return c.phones[0].label; }},
        {"customer.addresses[0].lines[0]", Accepts::single_line,
         [](C& c, const std::string& t) { c.addresses[0].lines[0] = t; },
         [](const C& c) { return c.addresses[0].lines[0]; }},
        {"customer.addresses[0].city", Accepts::single_line,
         [](C& c, const std::string& t) { c.addresses[0].city = t; },
         [](const C& c) { return c.addresses[0].city; }},
        {"customer.addresses[0].region", Accepts::single_line,
         [](C& c, const std::string& t) { c.addresses[0].region = t; },
         [](const C& c) { return c.addresses[0].region; }},
        {"customer.addresses[0].postal_code", Accepts::single_line,
         [](C& c, const std::string& t) { c.addresses[0].postal_code = t; },
         [](const C& c) { return c.addresses[0].postal_code; }},
        {"customer.addresses[0].label", Accepts::single_line,
         [](C& c, const std::string& t) { c.addresses[0].label = t; },
         [](const C& c) { return c.addresses[0].label; }},
        {"customer.memberships[0].role", Accepts::single_line,
         [](C& c, const std::string& t) { c.memberships[0].role = t; },
         [](const C& c) { return c.memberships[0].role; }},
        {"customer.tags", Accepts::single_line, [](C& c, const std::string& t) { c.tags = {t}; },
         [](const C& c) { return c.tags.empty() ? std::string() : *c.tags.begin(); }},
        {"customer.owner", Accepts::single_line, [](C& c, const std::string& t) { c.owner = t; },
         [](const C& c) { return c.owner; }},
        {"customer.source", Accepts::single_line, [](C& c, const std::string& t) { c.source = t; },
         [](const C& c) { return c.source; }},
        {"customer.external_ref", Accepts::single_line,
         [](C& c, const std::string& t) { c.external_ref = t; },
         [](const C& c) { return c.external_ref.value_or("<none>"); }},
        {"customer.attributes[note]", Accepts::any_bytes,
         [](C& c, const std::string& t) { c.attributes["note"] = t; },
         [](const C& c) { return std::get<std::string>(c.attributes.at("note")); }},
    };
    const Customer existing = s.insert_customer(base);
    const Calls<C> calls{[&](const C& c) { return s.insert_customer(c); },
                         [&](const C& c) { return s.update_customer(c); },
                         [&](const C& c) { return s.get_customer(c.id); },
                         [&](const C& c) { return s.remove_customer(c.id); }};
    stored += exercise<C>(s, base, existing, fields, calls);

    // Attribute names are keys; the field names the offending name itself.
    for (const Hostile& h : hostile_texts()) {
      INFO("attribute name '" << h.name << "'");
      Customer named = base;
      named.attributes = {{h.text, std::int64_t{1}}};
      const Snapshot before = snapshot(s);
      try {
        s.insert_customer(named);
        FAIL("expected a ValidationError");
      } catch (const ValidationError& error) {
        CHECK(error.field() == "customer.attributes[" + h.text + "]");
      }
      CHECK(snapshot(s) == before);
    }

    const std::vector<TextField<C>> org_fields = {
        {"customer.legal_name", Accepts::single_line,
         [](C& c, const std::string& t) { c.legal_name = t; },
         [](const C& c) { return c.legal_name; }}};
    Customer org_base = organization("Base Org");
    org_base.emails.clear();
    org_base.phones.clear();
    stored += exercise<C>(s, org_base, s.insert_customer(org_base), org_fields, calls);
    CHECK(stored > 0);
  }

  SECTION("interactions") {
    using I = crmkit::Interaction;
    const std::vector<TextField<I>> fields = {
        {"interaction.subject", Accepts::single_line,
         [](I& i, const std::string& t) { i.subject = t; }, [](const I& i) { return i.subject; }},
        {"interaction.body", Accepts::multi_line, [](I& i, const std::string& t) { i.body = t; },
         [](const I& i) { return i.body; }},
        {"interaction.outcome", Accepts::single_line,
         [](I& i, const std::string& t) { i.outcome = t; }, [](const I& i) { return i.outcome; }},
        {"interaction.author", Accepts::single_line,
         [](I& i, const std::string& t) { i.author = t; }, [](const I& i) { return i.author; }},
        {"interaction.external_ref", Accepts::single_line,
         [](I& i, const std::string& t) { i.external_ref = t; },
         [](const I& i) { return i.external_ref.value_or("<none>"); }},
    };
    const I base = interaction({alice.id, org.id}, at("2024-03-01T10:00:00Z"), deal.id);
    const Calls<I> calls{[&](const I& i) { return s.insert_interaction(i); },
                         [&](const I& i) { return s.update_interaction(i); },
                         [&](const I& i) { return s.get_interaction(i.id); },
                         [&](const I& i) { return s.remove_interaction(i.id); }};
    stored += exercise<I>(s, base, s.insert_interaction(base), fields, calls);
    CHECK(stored > 0);
  }

  SECTION("pipelines") {
    using P = crmkit::Pipeline;
    const std::vector<TextField<P>> fields = {
        {"pipeline.name", Accepts::single_line, [](P& p, const std::string& t) { p.name = t; },
         [](const P& p) { return p.name; }},
        {"pipeline.stages[2].name", Accepts::single_line,
         [](P& p, const std::string& t) { p.stages[2].name = t; },
         [](const P& p) { return p.stages[2].name; }},
        {"pipeline.stages[2].key", Accepts::key,
         [](P& p, const std::string& t) { p.stages[2].key = t; },
         [](const P& p) { return p.stages[2].key; }},
    };
    const P base = sales_pipeline("Hostile");
    const Calls<P> calls{[&](const P& p) { return s.insert_pipeline(p); },
                         [&](const P& p) { return s.update_pipeline(p); },
                         [&](const P& p) { return s.get_pipeline(p.id); },
                         [&](const P& p) { return s.remove_pipeline(p.id); }};
    stored += exercise<P>(s, base, s.insert_pipeline(base), fields, calls);
    CHECK(stored > 0);
  }

  SECTION("deals") {
    using D = crmkit::Deal;
    const std::vector<TextField<D>> fields = {
        {"deal.title", Accepts::single_line, [](D& d, const std::string& t) { d.title = t; },
         [](const D& d) { return d.title; }},
        {"deal.owner", Accepts::single_line, [](D& d, const std::string& t) { d.owner = t; },
         [](const D& d) { return d.owner; }},
        {"deal.lost_reason", Accepts::single_line,
         [](D& d, const std::string& t) { d.lost_reason = t; },
         [](const D& d) { return d.lost_reason; }},
        {"deal.contacts[0].role", Accepts::single_line,
         [](D& d, const std::string& t) { d.contacts[0].role = t; },
         [](const D& d) { return d.contacts[0].role; }},
        {"deal.history[0].by", Accepts::single_line,
         [](D& d, const std::string& t) { d.history[0].by = t; },
         [](const D& d) { return d.history[0].by; }},
        {"deal.history[2].note", Accepts::single_line,
         [](D& d, const std::string& t) { d.history[2].note = t; },
         [](const D& d) { return d.history[2].note; }},
        {"deal.external_ref", Accepts::single_line,
         [](D& d, const std::string& t) { d.external_ref = t; },
         [](const D& d) { return d.external_ref.value_or("<none>"); }},
        {"deal.stage", Accepts::key, [](D& d, const std::string& t) { d.stage = t; },
         [](const D& d) { return d.stage; }},
        {"deal.history[0].to", Accepts::key,
         [](D& d, const std::string& t) { d.history[0].to = t; },
         [](const D& d) { return d.history[0].to; }},
    };
    D base = lost_deal(pipeline.id, org.id);
    base.contacts = {{alice.id, "sponsor"}};
    const Calls<D> calls{[&](const D& d) { return s.insert_deal(d); },
                         [&](const D& d) { return s.update_deal(d); },
                         [&](const D& d) { return s.get_deal(d.id); },
                         [&](const D& d) { return s.remove_deal(d.id); }};
    stored += exercise<D>(s, base, s.insert_deal(base), fields, calls);
    CHECK(stored > 0);
  }

  SECTION("purchases") {
    for (const bool order : {true, false}) {
      const std::string field = order ? "purchases[1].order_ref" : "purchases[1].product_ref";
      for (const Hostile& h : hostile_texts()) {
        INFO(field << ", text '" << h.name << "'");
        std::vector<crmkit::Purchase> batch = {purchase(alice.id, at("2024-03-01T10:00:00Z"), 100),
                                               purchase(alice.id, at("2024-03-02T10:00:00Z"), 200)};
        (order ? batch[1].order_ref : batch[1].product_ref) = h.text;
        if (accepted(Accepts::single_line, h)) {
          s.append_purchases(batch);
          const std::optional<crmkit::Purchase> read = s.get_purchase(batch[1].id);
          REQUIRE(read.has_value());
          CHECK((order ? read->order_ref : read->product_ref) == h.text);
          CHECK(*read == batch[1]);
          continue;
        }
        const Snapshot before = snapshot(s);
        try {
          s.append_purchases(batch);
          FAIL("expected a ValidationError");
        } catch (const ValidationError& error) {
          CHECK(error.field() == field);
        }
        CHECK_FALSE(batch[0].id.valid());  // ids are assigned only when the whole batch is written
        CHECK(snapshot(s) == before);
      }
    }
  }
}

TEST_CASE("sqlite filters match hostile text exactly, never as a pattern", "[storage][safety]") {
  SqliteStore store(":memory:");
  const auto with = [&](std::string owner, std::string tag, std::string ref) {
    Customer c = person("Pattern", "Test");
    c.owner = std::move(owner);
    c.tags = {std::move(tag)};
    c.external_ref = std::move(ref);
    return store.insert_customer(c).id.value();
  };
  const auto wild = with("100% _of_ %s", "%", "ERP-%");
  const auto plain = with("100X aofa Xs", "x", "ERP-1");
  const auto quoted = with("O'Brien", "a'b", "'; DROP TABLE customers; --");
  const auto ids = [&](crmkit::storage::CustomerQuery q) {
    return crmkit::testing::ids_of(store.find_customers(q).items);
  };
  crmkit::storage::CustomerQuery q;
  q.owner = "100% _of_ %s";
  CHECK(ids(q) == std::vector<std::int64_t>{wild});
  q.owner = "%";
  CHECK(ids(q).empty());
  q.owner = "O'Brien";
  CHECK(ids(q) == std::vector<std::int64_t>{quoted});
  q = {};
  q.tag = "%";
  CHECK(ids(q) == std::vector<std::int64_t>{wild});
  q.tag = "_";
  CHECK(ids(q).empty());
  q.tag = "a'b";
  CHECK(ids(q) == std::vector<std::int64_t>{quoted});
  CHECK(store.find_customer_by_external_ref("ERP-%")->id.value() == wild);
  CHECK(store.find_customer_by_external_ref("ERP-1")->id.value() == plain);
  CHECK_FALSE(store.find_customer_by_external_ref("ERP-_").has_value());
  CHECK_FALSE(store.find_customer_by_external_ref("%").has_value());
  CHECK(store.find_customer_by_external_ref("'; DROP TABLE customers; --")->id.value() == quoted);
  CHECK(store.counts().customers == 3);  // and the table is still there
}
