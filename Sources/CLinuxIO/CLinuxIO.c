// Everything is in include/CLinuxIO.h; SwiftPM wants one source file per C target.
