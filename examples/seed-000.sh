# Seed 000: "k8s-24-LoadBalancer-Headless" — a Deployment behind a ClusterIP Service, then the
# seed's `my-headless-service`, its DNS answers, scaling, and StatefulSet pod names.
# Source: shared/seeds/000. Run: svclab run examples/seed-000.sh
#
# 「一、传统方式部署（ClusterIP Service + Deployment）」: a Deployment creates a ReplicaSet, which
# creates the pods; a ClusterIP Service gets a stable Cluster IP and a DNS name such as
# `nginx-svc.default.svc.cluster.local`. The seed gives no manifest; this is the minimal one.
# The pods listen on 8080 because the seed's headless Service below targets port 8080; the
# image (seed 001's app) answers `Hello from <pod name>`, so responses show which pod served.
cat > my-app.yaml << EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
spec:
  replicas: 3
  selector:
    matchLabels:
      app: my-app
  template:
    metadata:
      labels:
        app: my-app
    spec:
      containers:
      - name: my-app
        image: eddiehale/hellonodeapi
        ports:
        - containerPort: 8080
EOF
cat > nginx-svc.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: nginx-svc
spec:
  selector:
    app: my-app
  ports:
  - port: 80
    targetPort: 8080
EOF
kubectl apply -f my-app.yaml
kubectl apply -f nginx-svc.yaml
kubectl rollout status deployment/my-app
kubectl get deploy,rs,pods
# 「流量分发」: requests to the Service's DNS name go to the Cluster IP, and kube-proxy spreads
# them over the pods. The seed says 轮询 (round-robin): that is ipvs mode's default `rr`
# scheduler; kind's default kube-proxy mode is iptables, which picks each connection's pod
# at random, uniformly (spec §6.2, §6.3), so the same pod can answer twice in a row.
kubectl run -it --image busybox:1.28 test --restart=Never --rm /bin/sh
wget -qO- http://nginx-svc
wget -qO- http://nginx-svc
wget -qO- http://nginx-svc
wget -qO- http://nginx-svc
exit
# 「如默认 ClusterIP 或者 LoadBalancer 类型」: the same pods behind a LoadBalancer Service get
# a Cluster IP too, plus a node port and an external IP (kind's cloud-provider-kind).
kubectl expose deployment my-app --name=my-app-lb --type=LoadBalancer --port=80 --target-port=8080
sleep 5
kubectl get svc my-app-lb
# 「三、1. 创建 Headless Service」: the seed's manifest, verbatim.
cat > my-headless-service.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: my-headless-service
spec:
  clusterIP: None
  selector:
    app: my-app
  ports:
  - port: 80
    targetPort: 8080
EOF
kubectl apply -f my-headless-service.yaml
# 「应用后，会看到 `ClusterIP` 显示为 `None`，并且 Type 通常仍显示为 `ClusterIP`。」
kubectl get svc
# 「二、DNS 解析目标」 and 「三、2. DNS 解析行为」: the normal Service answers its Cluster IP
# (the name `nginx-svc.default.svc.cluster.local`), the headless one every selected pod's IP.
# The seed writes `nslookup my-headless-svc`; the Service it created is `my-headless-service`,
# so that is the name looked up (`my-headless-svc` would be NXDOMAIN: no such Service).
kubectl run -it --image busybox:1.28 test --restart=Never --rm /bin/sh
nslookup nginx-svc.default.svc.cluster.local
nslookup my-headless-service
exit
# 「三、3. 扩缩容动态更新」: after scaling, DNS answers follow the pod list.
# The PTR names busybox prints for the pod IPs may name either Service selecting the pod
# (`nginx-svc` or `my-headless-service`): real CoreDNS reverse lookups return the first
# EndpointSlice holding the IP (as in seed 001's transcript).
kubectl scale deployment my-app --replicas=5
kubectl rollout status deployment/my-app
kubectl run -it --image busybox:1.28 test --restart=Never --rm /bin/sh
nslookup my-headless-service
exit
kubectl scale deployment my-app --replicas=2
sleep 35
kubectl get pods -l app=my-app
kubectl run -it --image busybox:1.28 test --restart=Never --rm /bin/sh
nslookup my-headless-service
exit
# 「四、适用场景 — StatefulSet 应用」: each pod gets a stable name through the headless Service.
# The seed writes `pod-0.svc.namespace.svc.cluster.local`; the real form (CoreDNS, spec §4.5)
# is `<pod>.<service>.<namespace>.svc.cluster.local`, here `web-0.web.default.svc.cluster.local`.
# The seed's order (`svc` before the namespace) names a Service `svc` that does not exist, so
# CoreDNS answers NXDOMAIN and busybox's nslookup fails; shown last, with `|| true`.
cat > web.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
EOF
kubectl apply -f web.yaml
kubectl rollout status statefulset/web
kubectl run -it --image busybox:1.28 test --restart=Never --rm /bin/sh
nslookup web-0.web.default.svc.cluster.local
nslookup web-1.web.default.svc.cluster.local
nslookup web-0.svc.default.svc.cluster.local || true
exit
