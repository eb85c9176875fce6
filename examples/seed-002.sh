# Seed 002: "Headless VS ClusterIP" — the same Service name, `my-app`, selecting 3 pods, first
# as a normal Service (one A record: the ClusterIP) and then headless (one A record per pod),
# and the MongoDB StatefulSet `mongodb` (3 replicas) behind headless Service `mongodb-service`.
# Source: shared/seeds/002. Run: svclab run examples/seed-002.sh
#
# The seed only describes these situations; the manifests below are the minimal real ones that
# make them happen.
#
# Note (the spec wins): the seed's example ClusterIP `10.96.123.456` is not a valid IPv4
# address (456 > 255); the real API server allocates a valid address from the service range
# (10.96.0.0/12 here). Its pod IPs `172.17.0.x` are Docker-bridge addresses; a kind cluster
# gives pods addresses from the node's pod CIDR (10.244.x.y).
#
# 「假设我们有一个名为 `my-app` 的 Service，它选择了 3 个 Pod。」
cat > my-app-deployment.yaml << EOF
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
        image: nginx
        ports:
        - containerPort: 80
EOF
# 「1. 普通 Service 的 DNS 解析」: a normal (ClusterIP) Service.
cat > my-app-service.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: my-app
spec:
  selector:
    app: my-app
  ports:
  - port: 80
    targetPort: 80
EOF
kubectl apply -f my-app-deployment.yaml
kubectl apply -f my-app-service.yaml
kubectl rollout status deployment/my-app
kubectl get svc my-app
# 「在集群内，你执行 `nslookup my-app`」 → 「1 条 A 记录，指向 Service 的 ClusterIP」
kubectl run -it --image busybox:1.28 test --restart=Never --rm /bin/sh
nslookup my-app
exit
# 「2. Headless Service 的 DNS 解析」 (「注意：Service 的 `clusterIP: None`」). clusterIP is
# immutable, so the normal Service is deleted and recreated headless under the same name.
kubectl delete svc my-app
cat > my-app-headless.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: my-app
spec:
  clusterIP: None
  selector:
    app: my-app
  ports:
  - port: 80
    targetPort: 80
EOF
kubectl apply -f my-app-headless.yaml
kubectl get svc my-app
# 「返回结果：多条 A 记录，直接指向后端所有 Pod 的 IP」: three addresses.
kubectl run -it --image busybox:1.28 test --restart=Never --rm /bin/sh
nslookup my-app
exit
# 「回顾之前的 MongoDB 例子：StatefulSet: `mongodb` (3个副本); Headless Service: `mongodb-service`」
cat > mongodb.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: mongodb-service
spec:
  clusterIP: None
  selector:
    app: mongodb
  ports:
  - name: mongodb
    port: 27017
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: mongodb
spec:
  serviceName: mongodb-service
  replicas: 3
  selector:
    matchLabels:
      app: mongodb
  template:
    metadata:
      labels:
        app: mongodb
    spec:
      containers:
      - name: mongodb
        image: mongo
        ports:
        - containerPort: 27017
          name: mongodb
EOF
kubectl apply -f mongodb.yaml
kubectl rollout status statefulset/mongodb
kubectl get pods -l app=mongodb -o wide
kubectl get svc mongodb-service
# 「每个 Pod 获得一个稳定的 DNS 名称」 and 「查询 Headless Service 本身的 DNS (`mongodb-service`) 会返回所有 Pod IP」
kubectl run -it --image busybox:1.28 test --restart=Never --rm /bin/sh
nslookup mongodb-0.mongodb-service.default.svc.cluster.local
nslookup mongodb-1.mongodb-service.default.svc.cluster.local
nslookup mongodb-2.mongodb-service.default.svc.cluster.local
nslookup mongodb-service
exit
# 「即使 Pod 重启、IP 变了，它的 DNS 名称永远不变」: delete mongodb-0; the StatefulSet
# recreates it under the same name, with a new IP, and the same DNS name resolves to it.
kubectl delete pod mongodb-0
kubectl rollout status statefulset/mongodb
kubectl get pods -l app=mongodb -o wide
kubectl run -it --image busybox:1.28 test --restart=Never --rm /bin/sh
nslookup mongodb-0.mongodb-service.default.svc.cluster.local
exit
