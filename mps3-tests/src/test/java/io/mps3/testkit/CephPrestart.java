package io.mps3.testkit;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts Ceph in the background when the test JVM opens its session. In the IT JVM ({@code
 * -Dmps3.ceph.prestart=true}) that is the shared Ceph, taken over from the unit-test JVM if that
 * started it ({@link CephEarlyStart}): the Ceph classes then find it ready instead of each worker
 * waiting 15 s (55 s on a machine without the packages) in turn. In the unit-test JVM ({@code
 * -Dmps3.ceph.early=<dir>}) it is a Ceph for the IT JVM of the same build.
 */
public final class CephPrestart implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (Boolean.getBoolean("mps3.ceph.prestart")) {
      CephServer.startSharedInBackground();
    } else {
      CephEarlyStart.start();
    }
  }
}
