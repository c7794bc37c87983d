// Regenerates opencv_reference.txt (see README.md). Not part of the Go build.
//
//   apt-get install libopencv-objdetect-dev libopencv-imgcodecs-dev
//   g++ -O2 -o ref opencv_reference.cpp -I/usr/include/opencv4 \
//       -lopencv_objdetect -lopencv_imgcodecs -lopencv_core
//   ./ref ../../face/lbpcascade_frontalface_improved.xml GREY.png NAME
//
// GREY.png must be the photo's grey plane exactly as imageprep/face builds
// it (write planes.y of toPlanes(img, 600) as an 8-bit PNG).
#include <opencv2/objdetect.hpp>
#include <opencv2/imgcodecs.hpp>
#include <algorithm>
#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 4) { fprintf(stderr, "usage: ref CASCADE GREY.png NAME\n"); return 2; }
    cv::CascadeClassifier cc(argv[1]);
    cv::Mat grey = cv::imread(argv[2], cv::IMREAD_GRAYSCALE);
    if (cc.empty() || grey.empty()) { fprintf(stderr, "cannot read inputs\n"); return 1; }
    const char* kinds[] = {"raw", "grouped"};
    const int neighbours[] = {0, 3};
    for (int k = 0; k < 2; k++) {
        std::vector<cv::Rect> r;
        cc.detectMultiScale(grey, r, 1.1, neighbours[k]);
        std::sort(r.begin(), r.end(), [](const cv::Rect& a, const cv::Rect& b) {
            return a.x != b.x ? a.x < b.x : a.y != b.y ? a.y < b.y : a.width < b.width;
        });
        for (auto& x : r) printf("%s %s %d %d %d %d\n", argv[3], kinds[k], x.x, x.y, x.width, x.height);
    }
}
