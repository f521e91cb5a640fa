package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.config.Env;
import io.hoptrace.faults.SuiteOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's contract: usage errors exit 2 with the error on standard error, failures 1, status 3 when down. */
class StackMainTest {
  @TempDir Path data;

  Map<String, String> env() {
    return Map.of("HOPTRACE_DATA_DIR", data.toString(), "HOPTRACE_HOME", data.toString());
  }

  @Test
  void versionAndHelpGoToStandardOutput() {
    Cli.Result version = Cli.run(env(), "--version");
    assertThat(version.exit()).isEqualTo(0);
    assertThat(version.out()).startsWith("hoptrace 0.");
    Cli.Result help = Cli.run(env(), "replay", "--help");
    assertThat(help.exit()).isEqualTo(0);
    assertThat(help.out()).contains("Usage: ./stack replay").contains("--from=TIME").contains("stock-reductions");
    assertThat(help.err()).isEmpty();
  }

  @Test
  void usageErrorsExit2OnStandardErrorAndNameTheProblem() {
    Cli.Result unknown = Cli.run(env(), "deploy");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("error: ").contains("'deploy'").contains("see ./stack --help");
    assertThat(unknown.out()).isEmpty();

    Cli.Result badOption = Cli.run(env(), "status", "--colour");
    assertThat(badOption.exit()).isEqualTo(2);
    assertThat(badOption.err()).contains("Unknown option: '--colour'").contains("see ./stack status --help");

    Cli.Result badNumber = Cli.run(env(), "bench", "--repeats", "many");
    assertThat(badNumber.exit()).isEqualTo(2);
    assertThat(badNumber.err()).contains("'many' is not an int");

    assertThat(Cli.run(env(), "bench", "nosuch").err()).contains("unknown benchmark 'nosuch'");
    Cli.Result badHistory = Cli.run(env(), "bench", "startup", "--history", "10000,0");
    assertThat(badHistory.exit()).isEqualTo(2);
    assertThat(badHistory.err()).contains("--history takes orders of history from 1 to 100,000,000, not 0");
    assertThat(Cli.run(env(), "faults", "--fast").err()).contains("Unknown option: '--fast'");
    assertThat(Cli.run(env(), "faults", "--only", "kafka,nosuch").err()).contains("no scenario named [nosuch]");
  }

  @Test
  void statusSays3WhenNothingRunsAndTakesVerboseAnywhere() {
    Cli.Result r = Cli.run(env(), "status", "-v");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.out()).contains("hoptrace is not running");
    assertThat(Cli.run(env(), "-v", "status").exit()).isEqualTo(3);
  }

  @Test
  void faultsOptionsAndTheirForms() {
    CommandLine cli = new StackCommand(Env.of(env()), null).commandLine();
    CommandLine.ParseResult parsed = cli.parseArgs("faults", "--short", "--seed", "7", "--only", "kafka,fuzz");
    SuiteOptions o = ((FaultsCommand) parsed.subcommand().commandSpec().userObject()).options();
    assertThat(o.full()).isFalse();
    assertThat(o.seed()).isEqualTo(7);
    assertThat(o.only()).isEqualTo(Set.of("kafka", "fuzz"));
    assertThat(o.selected("kafka")).isTrue();
    assertThat(o.selected("clickhouse")).isFalse();
    SuiteOptions defaults = ((FaultsCommand) new StackCommand(Env.of(env()), null).commandLine().parseArgs("faults")
        .subcommand().commandSpec().userObject()).options();
    assertThat(defaults.full()).as("the full form by default").isTrue();
    assertThat(defaults.clickHouseDown().toSeconds()).as("the issue's 60 s").isEqualTo(60);
    assertThat(o.kafkaDown().toSeconds()).as("longer than the receiver's 10 s delivery timeout").isGreaterThan(10);
  }
}
