package io.netsvc.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lines a user types into {@code netsvc sim}: each gets one answer, none ends the console. */
class SimConsoleTest {
  /** An API switch that records what it was told. */
  static final class Switch implements SimConsole.Api {
    boolean down;
    final List<String> calls = new ArrayList<>();

    @Override
    public boolean apiDown() {
      calls.add("down");
      boolean changed = !down;
      down = true;
      return changed;
    }

    @Override
    public boolean apiUp() {
      calls.add("up");
      boolean changed = down;
      down = false;
      return changed;
    }
  }

  private static List<String> run(SimConsole console, String input) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    console.loop(
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void apiDownAndUpSwitchTheApiAndSayWhatHappened() {
    Switch api = new Switch();
    List<String> out = run(new SimConsole(api), "api down\n  API   Down \napi up\napi up\n");
    assertThat(api.calls).containsExactly("down", "down", "up", "up");
    assertThat(api.down).isFalse();
    assertThat(out)
        .containsExactly(
            "sim: API down (clients get connection refused until 'api up')",
            "sim: API is down already",
            "sim: API up",
            "sim: API is up already");
  }

  @Test
  void anUnknownOrBlankLineIsAnsweredAndTheNextCommandStillWorks() {
    Switch api = new Switch();
    List<String> out = run(new SimConsole(api), "\n   \napi sideways\u0007\nhelp\napi down\n");
    assertThat(out).hasSize(3);
    assertThat(out.get(0))
        .startsWith("sim: unknown command 'api sideways?'; commands: 'api down'")
        .contains("'api up'");
    assertThat(out.get(1)).startsWith("sim: commands: 'api down'");
    assertThat(out.get(2)).startsWith("sim: API down");
    assertThat(api.down).isTrue();
  }

  @Test
  void aFailingCommandIsOneLineAndTheConsoleGoesOn() {
    SimConsole.Api broken =
        new SimConsole.Api() {
          @Override
          public boolean apiDown() {
            throw new IllegalStateException("sim API: port in use");
          }

          @Override
          public boolean apiUp() {
            return true;
          }
        };
    List<String> out = run(new SimConsole(broken), "api down\napi up\n");
    assertThat(out).containsExactly("sim: 'api down' failed: sim API: port in use", "sim: API up");
  }
}
