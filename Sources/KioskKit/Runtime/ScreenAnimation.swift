import ServiceLifecycle

/// Steps the animation of the screen shown (the idle waves once a second, the printing spinner four times), and
/// sleeps without any timer while the screen is still: a kiosk with `animate_idle = false` never wakes when idle.
package struct ScreenAnimation: Service {
    let presenter: ScreenPresenter

    package func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if let interval = await presenter.animationInterval {
                    // Cancelled at shutdown: that is the end of the animation, not an error.
                    guard (try? await Task.sleep(for: interval)) != nil else { return }
                    await presenter.advanceAnimation()
                } else {
                    // Still: wait for another screen, which may animate.
                    let current = await presenter.current
                    guard await presenter.waitFor({ $0 != current }) != nil else { return }
                }
            }
        }
    }
}
