#!/usr/bin/env python3
# receiver_nodelay.py — tests/tools/hq_receiver.py for the drain figure with
# Nagle off: it writes headers and body apart, a 40 ms delayed-ACK stall per reply.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import hq_receiver  # noqa: E402

hq_receiver.Handler.disable_nagle_algorithm = True
sys.exit(hq_receiver.main())
