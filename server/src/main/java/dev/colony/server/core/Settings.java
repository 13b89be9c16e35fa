package dev.colony.server.core;

import dev.colony.proto.v1.CoreSettings;

/**
 * The limits and options the core applies commands under. They change only when a {@link
 * dev.colony.proto.v1.RestartCommand} carrying a process's own settings is applied (see {@link
 * CoreSettings}), so everything that reads them reads them here, at the time of use.
 */
final class Settings {
  private Limits limits;
  private CoreOptions options;

  Settings(Limits limits, CoreOptions options) {
    this.limits = limits;
    this.options = options;
  }

  Limits limits() {
    return limits;
  }

  CoreOptions options() {
    return options;
  }

  /** Takes what {@code settings} holds; nothing if it holds nothing (a log of an older version). */
  void apply(CoreSettings settings) {
    if (settings.equals(CoreSettings.getDefaultInstance())) {
      return;
    }
    limits = limitsOf(settings);
    options = optionsOf(settings);
  }

  CoreSettings toProto() {
    return toProto(limits, options);
  }

  static CoreSettings toProto(Limits limits, CoreOptions options) {
    return CoreSettings.newBuilder()
        .setMaxNameLength(limits.maxNameLength())
        .setMaxPayloadBytes(limits.maxPayloadBytes())
        .setMaxObjects(limits.maxObjects())
        .setMaxSessions(limits.maxSessions())
        .setMaxWaitersPerObject(limits.maxWaitersPerObject())
        .setMaxItemsPerContainer(limits.maxItemsPerContainer())
        .setDefaultSessionTtlMs(limits.defaultSessionTtlMillis())
        .setWorkerHeartbeatIntervalMs(limits.workerHeartbeatIntervalMillis())
        .setWorkerHeartbeatTimeoutMs(limits.workerHeartbeatTimeoutMillis())
        .setMaxSessionsPerPrincipal(limits.maxSessionsPerPrincipal())
        .setMaxSessionsPerAddress(limits.maxSessionsPerAddress())
        .setMaxSessionTtlMs(limits.maxSessionTtlMillis())
        .setMaxBytesPerContainer(limits.maxBytesPerContainer())
        .setMaxStoredBytes(limits.maxStoredBytes())
        .setMaxWaitersPerSession(limits.maxWaitersPerSession())
        .setMaxRetryBytesPerSession(limits.maxRetryBytesPerSession())
        .setMaxRetryBytes(limits.maxRetryBytes())
        .setFailDeadlocks(options.deadlockPolicy() == DeadlockPolicy.FAIL)
        .setNoWorkerWarningMs(options.noWorkerWarningMillis())
        .setMaxCodeBytes(options.maxCodeBytes())
        .build();
  }

  static Limits limitsOf(CoreSettings s) {
    return new Limits(
        s.getMaxNameLength(),
        s.getMaxPayloadBytes(),
        s.getMaxObjects(),
        s.getMaxSessions(),
        s.getMaxWaitersPerObject(),
        s.getMaxItemsPerContainer(),
        s.getDefaultSessionTtlMs(),
        s.getWorkerHeartbeatIntervalMs(),
        s.getWorkerHeartbeatTimeoutMs(),
        s.getMaxSessionsPerPrincipal(),
        s.getMaxSessionsPerAddress(),
        s.getMaxSessionTtlMs(),
        s.getMaxBytesPerContainer(),
        s.getMaxStoredBytes(),
        s.getMaxWaitersPerSession(),
        s.getMaxRetryBytesPerSession(),
        s.getMaxRetryBytes());
  }

  static CoreOptions optionsOf(CoreSettings s) {
    return new CoreOptions(
        s.getFailDeadlocks() ? DeadlockPolicy.FAIL : DeadlockPolicy.REPORT,
        s.getNoWorkerWarningMs(),
        s.getMaxCodeBytes() > 0 ? s.getMaxCodeBytes() : CoreOptions.DEFAULT_MAX_CODE_BYTES);
  }
}
