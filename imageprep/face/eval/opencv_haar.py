#!/usr/bin/env python3
"""OpenCV reference for the face evaluation: Haar cascades (frontal default
plus profile, the profile also on the mirrored photo) from Debian's
opencv-data, run with python3-opencv on every photo of set.json and its
variants (run `go run ./imageprep/face/eval` once first so the variants
exist). Writes DIR/opencv.json: {file: [[x, y, w, h], ...]}.

Usage: python3 opencv_haar.py [DIR]   (apt-get install python3-opencv opencv-data)
"""
import json, os, sys
import cv2

here = os.path.dirname(os.path.abspath(__file__))
d = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
    "HEADSHOT_FACE_EVAL", os.path.join(os.path.expanduser("~"), ".cache", "headshot", "faceeval"))
cascades = "/usr/share/opencv4/haarcascades/"
frontal = cv2.CascadeClassifier(cascades + "haarcascade_frontalface_default.xml")
profile = cv2.CascadeClassifier(cascades + "haarcascade_profileface.xml")
s = json.load(open(os.path.join(here, "set.json")))
files = [p["file"] for p in s["photos"]]
files += ["variants/%s-%s.%s" % ("crop%d" % v["face"] if v["kind"] == "crop" else v["kind"],
                                  os.path.splitext(v["from"])[0], "jpg" if v["kind"] == "large" else "png")
          for v in s["variants"]]

def centre_in(a, b):
    cx, cy = a[0] + a[2] / 2, a[1] + a[3] / 2
    return b[0] <= cx < b[0] + b[2] and b[1] <= cy < b[1] + b[3]

out = {}
for f in files:
    img = cv2.imread(os.path.join(d, f))
    grey = cv2.equalizeHist(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY))
    w = grey.shape[1]
    args = dict(scaleFactor=1.1, minNeighbors=5, minSize=(20, 20))
    boxes = [list(map(int, r)) for r in frontal.detectMultiScale(grey, **args)]
    side = [list(map(int, r)) for r in profile.detectMultiScale(grey, **args)]
    side += [[int(w - x - bw), int(y), int(bw), int(bh)] for x, y, bw, bh in profile.detectMultiScale(cv2.flip(grey, 1), **args)]
    for b in side:  # a profile hit on a face already found is the same face
        if not any(centre_in(b, a) or centre_in(a, b) for a in boxes):
            boxes.append(b)
    out[f] = boxes
json.dump(out, open(os.path.join(d, "opencv.json"), "w"))
print("wrote", os.path.join(d, "opencv.json"), len(out), "photos")
