package io.mps3.testkit;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the shared Ceph in the background when the test JVM opens its session, if the build asks
 * for it ({@code -Dmps3.ceph.prestart=true}, set for the ITs): the Ceph classes then find it ready
 * instead of each worker waiting 15 s (55 s on a machine without the packages) in turn.
 */
public final class CephPrestart implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (Boolean.getBoolean("mps3.ceph.prestart")) {
      CephServer.startSharedInBackground();
    }
  }
}
