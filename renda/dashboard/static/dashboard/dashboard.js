// 领导驾驶舱 charts, from the JSON the page embeds (#dash-chart-data). Every data point
// carries the address of the cases behind it: a click opens that list. The charts resize with
// the window (phones rotate) and before printing (A4 width).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dash-chart-data").textContent);
  var charts = [];
  var colors = ["#c0392b", "#2e86c1", "#e67e22", "#16a085", "#8e44ad", "#2c3e50"];

  function make(id, option, onClick) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(Object.assign({ color: colors, animation: false }, option));
    if (onClick) {
      chart.on("click", function (p) {
        var url = onClick(p);
        if (url) { window.location.href = url; }
      });
    }
    charts.push(chart);
    return chart;
  }

  make("dash-trend", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.months.map(function (m) { return m.replace(/^\d{4}年/, ""); }) },
    yAxis: { type: "value", minInterval: 1, name: "件" },
    series: data.trend.map(function (s) {
      return { type: s.key === "received" ? "bar" : "line", name: s.name, data: s.data, barMaxWidth: 28,
               symbolSize: 8, triggerLineEvent: true };
    })
  }, function (p) { return data.trend[p.seriesIndex].urls[p.dataIndex]; });

  make("dash-categories", {
    tooltip: { trigger: "item", formatter: "{b}：{c}件（{d}%）" },
    series: [{
      type: "pie", radius: ["35%", "65%"], avoidLabelOverlap: true,
      label: { formatter: "{b}\n{c}" },
      data: data.categories.map(function (c) { return { name: c.name, value: c.value }; })
    }]
  }, function (p) { return data.categories[p.dataIndex].url; });

  make("dash-areas", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.areas.map(function (a) { return a.name; }),
             axisLabel: { interval: 0, rotate: data.areas.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", minInterval: 1, name: "件" },
    series: [["收到", "received"], ["办结", "closed"], ["逾期", "late"]].map(function (s) {
      return { type: "bar", name: s[0], barMaxWidth: 28, data: data.areas.map(function (a) { return a[s[1]]; }) };
    })
  }, function (p) { return data.areas[p.dataIndex].urls[p.seriesIndex]; });

  var rates = data.rates.slice().reverse();
  make("dash-rates", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + "%"; } },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", max: 100, name: "%" },
    yAxis: { type: "category", data: rates.map(function (r) { return r.name; }),
             axisLabel: { width: 140, overflow: "truncate" } },
    series: [{ type: "bar", name: "按时办结率", barMaxWidth: 22,
               data: rates.map(function (r) { return r.value; }),
               label: { show: true, position: "right",
                        formatter: function (p) { return rates[p.dataIndex].percent; } },
               itemStyle: { color: "#2e86c1" } }]
  }, function (p) { return rates[p.dataIndex].url; });

  make("dash-words", {
    tooltip: { formatter: function (p) { return p.name + "：" + p.value + "件"; } },
    series: [{
      type: "wordCloud", shape: "circle", gridSize: 6, sizeRange: [12, 40], rotationRange: [0, 0],
      width: "100%", height: "100%",
      textStyle: { color: function (p) { return colors[p.dataIndex % colors.length]; } },
      data: data.words.map(function (w) { return { name: w.name, value: w.value }; })
    }]
  }, function (p) { return data.words[p.dataIndex].url; });

  function resize() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".dash-table-details").forEach(function (d) { d.open = true; });
    resize();
  });
  window.addEventListener("afterprint", resize);
})();
