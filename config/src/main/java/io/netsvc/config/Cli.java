package io.netsvc.config;

import java.nio.file.InvalidPathException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code netsvc} command line: {@code netsvc server|agent|sim [flags]}, K3s style, plus a
 * K3s-style YAML config file ({@code --config}). Never prints and never exits: the caller does what
 * the {@link ParseResult} says.
 */
public final class Cli {

  public static final String VERSION = "netsvc 0.1.0";
  private static final String COMMANDS = "'netsvc server', 'netsvc agent' or 'netsvc sim'";

  private Cli() {}

  /** Parses {@code args} (without the program name); {@code env} supplies KUBECONFIG. */
  public static ParseResult parse(String[] args, Map<String, String> env) {
    return parse(args, env, Host.current(env));
  }

  /** The help text of one subcommand, as {@code netsvc <mode> --help} prints it. */
  public static String usage(Mode mode) {
    return commandLine().getSubcommands().get(mode.command()).getUsageMessage(Ansi.OFF);
  }

  static ParseResult parse(String[] args, Map<String, String> env, Host host) {
    try {
      CommandLine top = commandLine();
      CommandLine.ParseResult parsed;
      try {
        parsed = top.parseArgs(args);
      } catch (ParameterException e) {
        return error(describe(e));
      }
      CommandLine.ParseResult sub = parsed.subcommand();
      CommandLine.ParseResult asked = sub == null ? parsed : sub;
      if (asked.isUsageHelpRequested()) {
        return new ParseResult.Exit(
            0, asked.commandSpec().commandLine().getUsageMessage(Ansi.OFF), "");
      }
      if (asked.isVersionHelpRequested()) {
        return new ParseResult.Exit(0, VERSION + "\n", "");
      }
      if (sub == null) {
        return error("no command given: use " + COMMANDS + " (see 'netsvc --help')");
      }
      Mode mode = Mode.ofCommand(sub.commandSpec().name());
      Map<Flag, Given> given = commandLineValues(sub, mode);
      if (given.containsKey(Flag.CONFIG)) {
        Map<Flag, Given> file = ConfigFile.load(host.resolve(given.get(Flag.CONFIG).last()), mode);
        given = ConfigFile.merge(file, given);
      }
      return new ParseResult.Run(SettingsBuilder.build(mode, given, env, host));
    } catch (UsageException e) {
      return error(e.getMessage());
    } catch (InvalidPathException e) {
      return error("invalid path '" + e.getInput() + "': " + e.getReason());
    }
  }

  private static Map<Flag, Given> commandLineValues(CommandLine.ParseResult sub, Mode mode) {
    Map<Flag, Given> out = new EnumMap<>(Flag.class);
    for (Flag flag : Flag.values()) {
      if (!flag.modes.contains(mode) || !sub.hasMatchedOption(flag.longName())) {
        continue;
      }
      Object value = sub.matchedOption(flag.longName()).getValue();
      List<String> values =
          value instanceof List<?> list
              ? list.stream().map(String::valueOf).toList()
              : List.of(String.valueOf(value));
      out.put(flag, Given.commandLine(values));
    }
    return out;
  }

  private static ParseResult error(String message) {
    // one line, whatever the cause: the launcher prints it as it is
    return new ParseResult.Exit(
        2,
        "",
        "netsvc: "
            + message.replaceAll("\\s*\\R\\s*", " ").replaceAll("\\p{Cntrl}", "?").strip()
            + "\n");
  }

  private static String describe(ParameterException e) {
    CommandLine where = e.getCommandLine();
    String name = where.getCommandSpec().qualifiedName();
    String hint = " (see '" + name + " --help')";
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().get(0);
      if (arg.startsWith("-")) {
        int eq = arg.indexOf('=');
        return "unknown option '" + (eq > 0 ? arg.substring(0, eq) : arg) + "'" + hint;
      }
      if (where.getParent() == null) {
        return "unknown command '" + arg + "': use " + COMMANDS;
      }
      return "unexpected argument '" + arg + "'" + hint;
    }
    if (e instanceof MissingParameterException m
        && !m.getMissing().isEmpty()
        && m.getMissing().get(0) instanceof OptionSpec o) {
      return "option '" + o.longestName() + "' needs a value" + hint;
    }
    String msg = String.valueOf(e.getMessage()).strip();
    return (msg.isEmpty() ? msg : Character.toLowerCase(msg.charAt(0)) + msg.substring(1)) + hint;
  }

  private static CommandLine commandLine() {
    CommandSpec top =
        CommandSpec.create().name("netsvc").version(VERSION).mixinStandardHelpOptions(true);
    top.usageMessage()
        .description(
            "K3s's networking services (ServiceLB, network policy, cloud-controller stub) as a"
                + " Pekko cluster.");
    CommandLine cl = new CommandLine(top);
    for (Mode mode : Mode.values()) {
      cl.addSubcommand(mode.command(), new CommandLine(subcommand(mode)));
    }
    cl.setExpandAtFiles(false); // '@file' is a legal value (and K3s has no such feature)
    cl.setOverwrittenOptionsAllowed(
        true); // a repeated single-valued flag: the last wins, as in K3s
    cl.setAbbreviatedOptionsAllowed(false);
    return cl;
  }

  private static CommandSpec subcommand(Mode mode) {
    CommandSpec spec =
        CommandSpec.create().name(mode.command()).version(VERSION).mixinStandardHelpOptions(true);
    spec.usageMessage()
        .description(
            switch (mode) {
              case SERVER ->
                  "Run a controller member against a Kubernetes cluster (--kubeconfig, or the"
                      + " pod's ServiceAccount).";
              case AGENT ->
                  "Run a node agent member on this node; it enforces NetworkPolicies with this"
                      + " host's iptables and ipset (needs root and CAP_NET_ADMIN, unless"
                      + " --disable-network-policy).";
              case SIM ->
                  "Run an embedded Kubernetes API with simulated nodes, controller and agents.";
              case CLEANUP_NETWORK_POLICY ->
                  "Remove netsvc's (and kube-router's) NetworkPolicy rules and ipsets from this"
                      + " node, touching nobody else's rules (needs root).";
            })
        .sortOptions(false);
    if (mode == Mode.SIM) {
      spec.usageMessage()
          .footer(
              "%nWhile it runs, 'netsvc sim' reads commands on stdin, one per line:",
              "  api down   the API stops listening and drops every connection and watch, keeping"
                  + " its objects (an API outage)",
              "  api up     the API listens again on the same address",
              "  help       lists these");
    }
    for (Flag flag : Flag.values()) {
      if (flag.modes.contains(mode)) {
        spec.addOption(option(flag));
      }
    }
    return spec;
  }

  private static OptionSpec option(Flag flag) {
    OptionSpec.Builder b =
        flag.shortName == null
            ? OptionSpec.builder(flag.longName())
            : OptionSpec.builder("-" + flag.shortName, flag.longName());
    b.description(flag.description).paramLabel(flag.paramLabel);
    switch (flag.kind) {
      case STRING -> b.type(String.class).arity("1");
      case LIST -> b.type(List.class).auxiliaryTypes(String.class).arity("1");
        // 0..1 so that "--flag=false" works too, as with K3s's boolean flags
      case BOOL -> b.type(boolean.class).arity("0..1");
    }
    return b.build();
  }
}
